import { calendar, pinnedV1, salesDefinition } from '../testing/appraisal-scenario';
import { cycleOpened } from '../testing/cycle-scenario';
import { sales4232Workflow } from '../examples/sales-4232.workflow';
import { parseWorkflowDefinition } from '../workflow/workflow-definition.validate';
import {
  DEFAULT_MEMBERSHIP,
  joinerAppraisalId,
  joinerCutoff,
  membershipCommands,
  membershipOf,
  type CycleMembership,
  type MembershipRule,
} from './membership';

const opened = cycleOpened({
  workflow: pinnedV1,
  appraisals: [
    { appraisalId: 'ap-ann', subject: { kind: 'employee', employeeId: 'ann', orgUnitId: 'east' } },
    { appraisalId: 'ap-bob', subject: { kind: 'employee', employeeId: 'bob', orgUnitId: 'west' } },
  ],
  at: '2026-01-01T08:00:00.000Z',
}).data;

const stated: MembershipRule = {
  joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 92 },
  movers: { unitAt: 'cycle-end' },
  leavers: { appraisal: 'withdraw' },
};

/** The directory's changes the rule reads, each as its directory event reports it. */
const hired = (employeeId: string, orgUnitId: string, effectiveFrom: string) =>
  ({ kind: 'hired', employeeId, orgUnitId, effectiveFrom }) as const;
const transferred = (employeeId: string, orgUnitId: string, effectiveFrom: string) =>
  ({ kind: 'transferred', employeeId, orgUnitId, effectiveFrom }) as const;
const left = (employeeId: string, effectiveFrom: string) =>
  ({ kind: 'left', employeeId, effectiveFrom }) as const;

const cycle = (rule: MembershipRule = stated): CycleMembership => ({ opened, rule });
const commandsOf = (change: Parameters<typeof membershipCommands>[1], rule?: MembershipRule) =>
  membershipCommands('acme', change, cycle(rule));

describe('the membership rule in the workflow definition', () => {
  it('is optional: a workflow without it follows the default, which is what workflows did before', () => {
    expect(salesDefinition.membership).toBeUndefined();
    expect(membershipOf(salesDefinition)).toEqual({
      joiners: { open: 'never' },
      movers: { unitAt: 'scope-date' },
      leavers: { appraisal: 'keep' },
    });
  });

  it('parses a stated rule and fills what it leaves out with the default', () => {
    const result = parseWorkflowDefinition({
      ...sales4232Workflow,
      membership: { joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 92 } },
    });
    expect(result.ok && result.definition.membership).toEqual({
      ...DEFAULT_MEMBERSHIP,
      joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 92 },
    });
  });

  it.each([
    [{ joiners: { open: 'always' } }, 'membership.joiners.open', 'invalid_union'],
    [{ joiners: { open: 'if-hired-before' } }, 'membership.joiners.cutoffDaysBeforeEnd', 'invalid_type'],
    [
      { joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 365 } },
      'membership.joiners.cutoffDaysBeforeEnd',
      'cutoff-within-cycle',
    ],
    [{ movers: { unitAt: 'hire-date' } }, 'membership.movers.unitAt', 'invalid_value'],
    [{ leavers: { appraisal: 'delete' } }, 'membership.leavers.appraisal', 'invalid_value'],
    [{ leavers: { appraisal: 'keep', notify: true } }, 'membership.leavers', 'unrecognized_keys'],
  ])('refuses %j, naming %s and the rule', (membership, path, rule) => {
    const result = parseWorkflowDefinition({ ...sales4232Workflow, membership });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toContainEqual(expect.objectContaining({ path, rule }));
  });

  it('refuses a stated rule on a workflow that appraises org units', () => {
    const result = parseWorkflowDefinition({
      ...sales4232Workflow,
      subject: 'org-unit',
      membership: { leavers: { appraisal: 'withdraw' } },
    });
    expect(!result.ok && result.issues).toContainEqual(
      expect.objectContaining({ path: 'membership', rule: 'employee-subjects' }),
    );
  });
});

describe('what the rule makes of a change of the directory', () => {
  it('a joiner hired into a unit of the scope before the cutoff: their appraisal, joined on the hire date', () => {
    expect(joinerCutoff(opened, 92)).toBe('2026-10-01');
    const { commands } = commandsOf(hired('cy', 'east', '2026-04-14'));
    expect(commands).toEqual([
      {
        type: 'OpenJoinerAppraisal',
        data: {
          appraisalId: joinerAppraisalId('acme', 'c2026', 'cy'),
          cycleId: 'c2026',
          subject: { kind: 'employee', employeeId: 'cy', orgUnitId: 'east' },
          workflowId: 'sales',
          workflowVersion: 1,
          cycleStartsAt: calendar.startsAt,
          cycleEndsAt: calendar.endsAt,
          periods: calendar.periods,
          joinedOn: '2026-04-14',
        },
      },
    ]);
    expect(joinerAppraisalId('acme', 'c2026', 'cy')).toBe(joinerAppraisalId('acme', 'c2026', 'cy'));
    expect(joinerAppraisalId('other', 'c2026', 'cy')).not.toBe(joinerAppraisalId('acme', 'c2026', 'cy'));
  });

  it.each([
    ['joiners: never', hired('cy', 'east', '2026-04-14'), DEFAULT_MEMBERSHIP],
    ['joined on or after 2026-10-01', hired('cy', 'east', '2026-10-01'), stated],
    ['unit not in the scope', hired('cy', 'north', '2026-04-14'), stated],
    ['already appraised in this cycle', hired('ann', 'east', '2026-04-14'), stated],
    ['on or before the scope date', hired('cy', 'east', '2026-01-01'), stated],
    ['after the cycle ends', left('ann', '2027-01-01'), stated],
    ['movers: unit at the scope date', transferred('ann', 'west', '2026-05-01'), DEFAULT_MEMBERSHIP],
    ['joiners: never', transferred('cy', 'west', '2026-05-01'), DEFAULT_MEMBERSHIP],
    ['not appraised in this cycle', left('cy', '2026-05-31'), stated],
    ['leavers: keep', left('ann', '2026-05-31'), DEFAULT_MEMBERSHIP],
  ] as const)('sends nothing: %s', (why, change, rule) => {
    expect(membershipCommands('acme', change, cycle(rule))).toEqual({ commands: [], why });
  });

  it('a mover under `unitAt: cycle-end`: the appraisal moves to the new unit', () => {
    expect(commandsOf(transferred('ann', 'west', '2026-05-01')).commands).toEqual([
      {
        type: 'MoveAppraisalUnit',
        data: { appraisalId: 'ap-ann', orgUnitId: 'west', effectiveFrom: '2026-05-01' },
      },
    ]);
  });

  it('a leaver under `leavers: withdraw`: the appraisal is withdrawn; a joiner who leaves: the joiner’s appraisal', () => {
    expect(commandsOf(left('bob', '2026-05-31')).commands).toEqual([
      {
        type: 'WithdrawAppraisal',
        data: { appraisalId: 'ap-bob', cause: 'employee-left', effectiveFrom: '2026-05-31' },
      },
    ]);
    const withJoiner = { ...cycle(), appraised: new Set(['cy']) };
    expect(membershipCommands('acme', left('cy', '2026-08-31'), withJoiner).commands).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ appraisalId: joinerAppraisalId('acme', 'c2026', 'cy') }),
      }),
    ]);
  });

  describe('someone transferred into the scope', () => {
    const into = transferred('cy', 'east', '2026-05-04');
    const elsewhere = (employeeId: string): CycleMembership => ({
      rule: DEFAULT_MEMBERSHIP,
      opened: {
        ...opened,
        cycleId: 'ops-2026',
        appraisals: [
          { appraisalId: `ops-${employeeId}`, subject: { kind: 'employee', employeeId, orgUnitId: 'ops' } },
        ],
      },
    });

    it('from outside every cycle: a joiner, on the transfer’s date (the months before waived)', () => {
      expect(membershipCommands('acme', into, cycle(), [elsewhere('dee')]).commands).toEqual([
        {
          type: 'OpenJoinerAppraisal',
          data: expect.objectContaining({
            appraisalId: joinerAppraisalId('acme', 'c2026', 'cy'),
            subject: { kind: 'employee', employeeId: 'cy', orgUnitId: 'east' },
            joinedOn: '2026-05-04',
          }),
        },
      ]);
    });

    it('cut off by the transfer’s date; not when another open cycle appraises them (a joiner there too)', () => {
      expect(membershipCommands('acme', { ...into, effectiveFrom: '2026-10-01' }, cycle())).toEqual({
        commands: [],
        why: 'joined on or after 2026-10-01',
      });
      expect(membershipCommands('acme', into, cycle(), [elsewhere('cy')])).toEqual({
        commands: [],
        why: 'appraised in another cycle',
      });
      const joinerThere = { ...elsewhere('dee'), appraised: new Set(['cy']) };
      expect(membershipCommands('acme', into, cycle(), [joinerThere]).why).toBe('appraised in another cycle');
      expect(membershipCommands('acme', { ...into, orgUnitId: 'north' }, cycle()).why).toBe(
        'unit not in the scope',
      );
    });

    it('a joiner of this cycle who moves is a mover, not a joiner again', () => {
      const withJoiner = { ...cycle(), appraised: new Set(['cy']) };
      expect(membershipCommands('acme', { ...into, orgUnitId: 'west' }, withJoiner).commands).toEqual([
        {
          type: 'MoveAppraisalUnit',
          data: {
            appraisalId: joinerAppraisalId('acme', 'c2026', 'cy'),
            orgUnitId: 'west',
            effectiveFrom: '2026-05-04',
          },
        },
      ]);
    });
  });
});
