import {
  membershipChangeOf,
  membershipCommands,
  type CycleMembership,
  type RecordedChange,
} from '../cycle/membership';
import {
  commandIdFor,
  NO_FACTS,
  type ProcessFacts,
  type ProcessManager,
  type SentCommand,
} from './process-manager';

const NAME = 'cycle-membership';

/**
 * One change for one cycle. The command id comes from the directory event and the cycle only, so
 * the change sends the same command whether it is applied when it arrives or when a cycle opens
 * after it was recorded: whichever comes second finds it sent.
 */
function commandsFor(
  tenantId: string,
  { eventId, change }: RecordedChange,
  cycle: CycleMembership,
  facts: ProcessFacts,
): SentCommand[] {
  const others = facts.openCycles.filter(({ opened }) => opened.cycleId !== cycle.opened.cycleId);
  return membershipCommands(tenantId, change, cycle, others).commands.map((command) => ({
    commandId: commandIdFor(NAME, { tenantId, eventId }, `${cycle.opened.cycleId}/${command.type}`),
    command,
  }));
}

/**
 * A cycle opened: the changes recorded before it but effective after its scope date (a hire entered
 * ahead of the start day, a leave known in advance) were handled when no such cycle existed, so the
 * rule is applied to them now, in the order recorded. Whom a change makes a joiner counts as
 * appraised for the changes after it (a joiner who then leaves is withdrawn).
 */
function catchUp(tenantId: string, cycleId: string, facts: ProcessFacts): SentCommand[] {
  const found = facts.openCycles.find(({ opened }) => opened.cycleId === cycleId);
  if (!found) return [];
  let cycle = found;
  return facts.directoryChanges.slice(0, found.changesBefore ?? 0).flatMap((recorded) => {
    const sent = commandsFor(tenantId, recorded, cycle, facts);
    if (sent.some(({ command }) => command.type === 'OpenJoinerAppraisal'))
      cycle = { ...cycle, appraised: new Set([...(cycle.appraised ?? []), recorded.change.employeeId]) };
    return sent;
  });
}

/**
 * Someone hired, transferred or gone after a cycle's scope date → what each open cycle's membership
 * rule says (ADR 0146): a joiner's appraisal opened with the months before the hire waived (also for
 * someone transferred into the scope whom no open cycle appraises), a mover's appraisal counted in
 * the new unit, a leaver's appraisal withdrawn. A cycle that opens applies its rule to the changes
 * recorded before it (`catchUp`). `ManagerAssigned` needs nothing here: a manager's steps name no
 * person and are resolved from the directory when read, so the new manager's inbox and rights
 * follow at once. One command per change and cycle, its id from the change's event and the cycle,
 * so an event handed over again sends nothing new.
 */
export const cycleMembership: ProcessManager<
  'CycleOpened' | 'EmployeeHired' | 'EmployeeTransferred' | 'EmployeeLeft'
> = {
  name: NAME,
  eventTypes: ['CycleOpened', 'EmployeeHired', 'EmployeeTransferred', 'EmployeeLeft'],
  needs: ['openCycles', 'directoryChanges'],
  react: (event, facts = NO_FACTS) => {
    if (event.type === 'CycleOpened') return catchUp(event.tenantId, event.data.cycleId, facts);
    const recorded = { eventId: event.eventId, change: membershipChangeOf(event) };
    return facts.openCycles.flatMap((cycle) => commandsFor(event.tenantId, recorded, cycle, facts));
  },
};
