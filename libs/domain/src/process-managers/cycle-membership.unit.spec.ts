import { calendar } from '../testing/appraisal-scenario';
import type { CycleEvent } from '../cycle/cycle.events';
import { DEFAULT_MEMBERSHIP, joinerAppraisalId, type CycleMembership } from '../cycle/membership';
import type { DirectoryEvent } from '../directory/directory.events';
import { cycleMembership, PROCESS_MANAGERS, type ReceivedEvent } from './index';

const openedOf = (cycleId: string, unit: string): Extract<CycleEvent, { type: 'CycleOpened' }>['data'] => ({
  cycleId,
  name: cycleId,
  year: 2026,
  workflowId: 'sales',
  workflowVersion: 1,
  scorecardTemplate: null,
  startsAt: calendar.startsAt,
  endsAt: calendar.endsAt,
  periods: calendar.periods,
  appraisals: [
    { appraisalId: `${cycleId}-ann`, subject: { kind: 'employee', employeeId: 'ann', orgUnitId: unit } },
  ],
  at: '2026-01-01T08:00:00.000Z',
});
const joining: CycleMembership = {
  opened: openedOf('east-2026', 'east'),
  rule: {
    joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 30 },
    movers: { unitAt: 'cycle-end' },
    leavers: { appraisal: 'withdraw' },
  },
};
const keeping: CycleMembership = { opened: openedOf('west-2026', 'west'), rule: DEFAULT_MEMBERSHIP };

const received = <T extends DirectoryEvent>(event: T): ReceivedEvent<T> =>
  ({ ...event, eventId: '3f1e8a52-0000-4000-8000-000000000017', tenantId: 'acme' }) as ReceivedEvent<T>;
const hired = received({
  type: 'EmployeeHired',
  data: {
    employeeId: 'cy',
    orgUnitId: 'east',
    managerId: 'mia',
    position: null,
    effectiveFrom: '2026-04-14',
    pii: { name: 'Cy' },
  },
});
const left = received({ type: 'EmployeeLeft', data: { employeeId: 'ann', effectiveFrom: '2026-06-30' } });
const moved = received({
  type: 'EmployeeTransferred',
  data: { employeeId: 'ann', orgUnitId: 'north', effectiveFrom: '2026-06-01' },
});

describe('cycle-membership process manager', () => {
  it('is run by the worker, reacting to hires, transfers and leavers, with the open cycles read for it', () => {
    expect(PROCESS_MANAGERS).toContain(cycleMembership);
    expect(cycleMembership.eventTypes).toEqual(['EmployeeHired', 'EmployeeTransferred', 'EmployeeLeft']);
    expect(cycleMembership.needs).toEqual(['openCycles']);
  });

  it('a hire: a joiner’s appraisal in each open cycle whose rule opens joiners and whose scope has the unit', () => {
    const sent = cycleMembership.react(hired, { openCycles: [joining, keeping] });
    expect(sent.map(({ command }) => [command.type, command.data.appraisalId])).toEqual([
      ['OpenJoinerAppraisal', joinerAppraisalId('acme', 'east-2026', 'cy')],
    ]);
  });

  it('a transfer and a leaver: each cycle by its own rule', () => {
    const facts = { openCycles: [joining, { ...keeping, opened: openedOf('west-2026', 'east') }] };
    expect(cycleMembership.react(moved, facts).map(({ command }) => command)).toEqual([
      {
        type: 'MoveAppraisalUnit',
        data: { appraisalId: 'east-2026-ann', orgUnitId: 'north', effectiveFrom: '2026-06-01' },
      },
    ]);
    expect(cycleMembership.react(left, facts).map(({ command }) => command)).toEqual([
      {
        type: 'WithdrawAppraisal',
        data: { appraisalId: 'east-2026-ann', cause: 'employee-left', effectiveFrom: '2026-06-30' },
      },
    ]);
  });

  it('no open cycle, no command; without facts, none either', () => {
    expect(cycleMembership.react(left, { openCycles: [] })).toEqual([]);
    expect(cycleMembership.react(left)).toEqual([]);
  });

  it('command ids depend only on the event and the cycle', () => {
    const twoCycles = { openCycles: [joining, { ...joining, opened: openedOf('east-2026-h2', 'east') }] };
    const ids = cycleMembership.react(left, twoCycles).map((sent) => sent.commandId);
    expect(new Set(ids).size).toBe(2);
    expect(cycleMembership.react(structuredClone(left), twoCycles).map((sent) => sent.commandId)).toEqual(
      ids,
    );
    expect(cycleMembership.react({ ...left, eventId: 'another' }, twoCycles)[0].commandId).not.toBe(ids[0]);
  });
});
