import { membershipCommands, type MembershipChange } from '../cycle/membership';
import type { DirectoryEvent } from '../directory/directory.events';
import { commandIdFor, NO_FACTS, type ProcessManager } from './process-manager';

type MembershipEvent = Extract<
  DirectoryEvent,
  { type: 'EmployeeHired' | 'EmployeeTransferred' | 'EmployeeLeft' }
>;

function changeOf(event: MembershipEvent): MembershipChange {
  switch (event.type) {
    case 'EmployeeHired':
    case 'EmployeeTransferred':
      return {
        kind: event.type === 'EmployeeHired' ? 'hired' : 'transferred',
        employeeId: event.data.employeeId,
        orgUnitId: event.data.orgUnitId,
        effectiveFrom: event.data.effectiveFrom,
      };
    case 'EmployeeLeft':
      return { kind: 'left', employeeId: event.data.employeeId, effectiveFrom: event.data.effectiveFrom };
  }
}

/**
 * Someone hired, transferred or gone after a cycle's scope date → what each open cycle's membership
 * rule says (ADR 0146): a joiner's appraisal opened with the months before the hire waived, a
 * mover's appraisal counted in the new unit, a leaver's appraisal withdrawn. `ManagerAssigned` needs
 * nothing: a manager's steps name no person and are resolved from the directory when read, so the
 * new manager's inbox and rights follow at once. One command per cycle, its id from the event and
 * the cycle, so an event handed over again sends nothing new.
 */
export const cycleMembership: ProcessManager<'EmployeeHired' | 'EmployeeTransferred' | 'EmployeeLeft'> = {
  name: 'cycle-membership',
  eventTypes: ['EmployeeHired', 'EmployeeTransferred', 'EmployeeLeft'],
  needs: ['openCycles'],
  react: (event, facts = NO_FACTS) => {
    const change = changeOf(event);
    return facts.openCycles.flatMap((cycle) =>
      membershipCommands(event.tenantId, change, cycle).commands.map((command) => ({
        commandId: commandIdFor('cycle-membership', event, `${cycle.opened.cycleId}/${command.type}`),
        command,
      })),
    );
  },
};
