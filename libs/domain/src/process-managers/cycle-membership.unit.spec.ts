import { pinnedV1 } from '../testing/appraisal-scenario';
import { cycleOpened } from '../testing/cycle-scenario';
import {
  DEFAULT_MEMBERSHIP,
  joinerAppraisalId,
  membershipChangeOf,
  type CycleMembership,
} from '../cycle/membership';
import type { DomainEvent } from '../registry';
import type { DirectoryEvent } from '../directory/directory.events';
import { cycleMembership, cycleOpening, PROCESS_MANAGERS, type ReceivedEvent } from './index';

const openedOf = (cycleId: string, unit: string) =>
  cycleOpened({
    workflow: pinnedV1,
    cycleId,
    appraisals: [
      { appraisalId: `${cycleId}-ann`, subject: { kind: 'employee', employeeId: 'ann', orgUnitId: unit } },
    ],
    at: '2026-01-01T08:00:00.000Z',
  }).data;
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
  it('is run by the worker after the opening, reacting to cycles opened, hires, transfers and leavers', () => {
    expect(PROCESS_MANAGERS).toContain(cycleMembership);
    expect(PROCESS_MANAGERS.map(({ name }) => name).indexOf(cycleMembership.name)).toBeGreaterThan(
      PROCESS_MANAGERS.map(({ name }) => name).indexOf(cycleOpening.name),
    );
    expect(cycleMembership.eventTypes).toEqual([
      'CycleOpened',
      'EmployeeHired',
      'EmployeeTransferred',
      'EmployeeLeft',
    ]);
    expect(cycleMembership.needs).toEqual(['openCycles', 'directoryChanges']);
  });

  it('a hire: a joiner’s appraisal in each open cycle whose rule opens joiners and whose scope has the unit', () => {
    const sent = cycleMembership.react(hired, { openCycles: [joining, keeping], directoryChanges: [] });
    expect(sent.map(({ command }) => [command.type, command.data.appraisalId])).toEqual([
      ['OpenJoinerAppraisal', joinerAppraisalId('acme', 'east-2026', 'cy')],
    ]);
  });

  it('a transfer and a leaver: each cycle by its own rule', () => {
    const facts = {
      openCycles: [joining, { ...keeping, opened: openedOf('west-2026', 'east') }],
      directoryChanges: [],
    };
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
    expect(cycleMembership.react(left, { openCycles: [], directoryChanges: [] })).toEqual([]);
    expect(cycleMembership.react(left)).toEqual([]);
  });

  it('command ids depend only on the event and the cycle', () => {
    const twoCycles = {
      openCycles: [joining, { ...joining, opened: openedOf('east-2026-h2', 'east') }],
      directoryChanges: [],
    };
    const ids = cycleMembership.react(left, twoCycles).map((sent) => sent.commandId);
    expect(new Set(ids).size).toBe(2);
    expect(cycleMembership.react(structuredClone(left), twoCycles).map((sent) => sent.commandId)).toEqual(
      ids,
    );
    expect(cycleMembership.react({ ...left, eventId: 'another' }, twoCycles)[0].commandId).not.toBe(ids[0]);
  });

  describe('a cycle opened after the changes were recorded', () => {
    const cycleOpened = {
      type: 'CycleOpened',
      data: joining.opened,
      eventId: '3f1e8a52-0000-4000-8000-0000000000c1',
      tenantId: 'acme',
    } as ReceivedEvent<Extract<DomainEvent, { type: 'CycleOpened' }>>;
    const asRecorded = (event: typeof hired | typeof left | typeof moved) => ({
      eventId: event.eventId,
      change: membershipChangeOf(event),
    });
    const hiredEarly = { ...hired, eventId: '3f1e8a52-0000-4000-8000-0000000000a1' };
    const cyLeaves = received({
      type: 'EmployeeLeft',
      data: { employeeId: 'cy', effectiveFrom: '2026-09-30' },
    });
    const leftEarly = { ...cyLeaves, eventId: '3f1e8a52-0000-4000-8000-0000000000a2' };
    const recordedAfter = { ...left, eventId: '3f1e8a52-0000-4000-8000-0000000000a3' };
    const facts = {
      openCycles: [{ ...joining, changesBefore: 2 }, keeping],
      directoryChanges: [asRecorded(hiredEarly), asRecorded(leftEarly), asRecorded(recordedAfter)],
    };

    it('applies its rule to the changes recorded before it, in order: a joiner opened, then withdrawn', () => {
      expect(
        cycleMembership
          .react(cycleOpened, facts)
          .map(({ command }) => [command.type, command.data.appraisalId]),
      ).toEqual([
        ['OpenJoinerAppraisal', joinerAppraisalId('acme', 'east-2026', 'cy')],
        ['WithdrawAppraisal', joinerAppraisalId('acme', 'east-2026', 'cy')],
      ]);
    });

    it('with the ids the changes send when they arrive after it: nothing is done twice', () => {
      const caughtUp = cycleMembership.react(cycleOpened, facts).map(({ commandId }) => commandId);
      const live = cycleMembership.react(hiredEarly, { ...facts, openCycles: [joining] });
      expect(live.map(({ commandId }) => commandId)).toEqual([caughtUp[0]]);
      expect(
        cycleMembership.react(structuredClone(cycleOpened), facts).map(({ commandId }) => commandId),
      ).toEqual(caughtUp);
    });

    it('nothing for a cycle the facts do not list as open, nor without changes before it', () => {
      expect(cycleMembership.react(cycleOpened, { ...facts, openCycles: [keeping] })).toEqual([]);
      expect(cycleMembership.react(cycleOpened, { ...facts, openCycles: [joining] })).toEqual([]);
    });
  });
});
