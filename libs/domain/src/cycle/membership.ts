import { z } from 'zod';
import type { AppraisalCommand } from '../appraisal/appraisal.commands';
import type { Issue } from '../shared/errors';
import { uuidV5 } from '../shared/uuid';
import type { DirectoryEvent } from '../directory/directory.events';
import type { CycleEvent } from './cycle.events';

/**
 * The workflow's membership rule (ADR 0146): what happens to a cycle when, after its scope date,
 * someone joins a unit it appraises, moves to another unit, or leaves. Absent from a workflow, it is
 * `DEFAULT_MEMBERSHIP`: nobody joins, an appraisal keeps its scope-date unit, a leaver's appraisal
 * stays, which is what every workflow did before the rule existed.
 */
export const MembershipRule = z
  .object({
    /** `never`, or open an appraisal for someone hired more than `cutoffDaysBeforeEnd` days before the cycle ends. */
    joiners: z
      .discriminatedUnion('open', [
        z.object({ open: z.literal('never') }).strict(),
        z
          .object({
            open: z.literal('if-hired-before'),
            cutoffDaysBeforeEnd: z.number().int().min(0).max(366),
          })
          .strict(),
      ])
      .default({ open: 'never' }),
    /** The unit an appraisal counts in (forced distribution): the one on the scope date, or the last one before the cycle ends. */
    movers: z
      .object({ unitAt: z.enum(['scope-date', 'cycle-end']).default('scope-date') })
      .strict()
      .default({ unitAt: 'scope-date' }),
    /** `withdraw`: a leaver's appraisal is withdrawn, its steps and timers with it; `keep`: it stays. */
    leavers: z
      .object({ appraisal: z.enum(['keep', 'withdraw']).default('keep') })
      .strict()
      .default({ appraisal: 'keep' }),
  })
  .strict();
export type MembershipRule = z.infer<typeof MembershipRule>;

export const DEFAULT_MEMBERSHIP: MembershipRule = {
  joiners: { open: 'never' },
  movers: { unitAt: 'scope-date' },
  leavers: { appraisal: 'keep' },
};

/** The rule a workflow version states, or the default for one written before it existed. */
export function membershipOf(definition: { membership?: MembershipRule }): MembershipRule {
  return definition.membership ?? DEFAULT_MEMBERSHIP;
}

/** Cross-field checks of the rule against its workflow (the schema checks the shape). */
export function checkMembership(definition: {
  membership?: MembershipRule;
  subject: 'employee' | 'org-unit';
  cadence: { cycle: 'year' | 'half-year' };
}): Issue[] {
  const rule = definition.membership;
  if (!rule) return [];
  const issues: Issue[] = [];
  if (definition.subject === 'org-unit' && JSON.stringify(rule) !== JSON.stringify(DEFAULT_MEMBERSHIP))
    issues.push({
      path: 'membership',
      rule: 'employee-subjects',
      message: 'people join, move and leave only in a workflow that appraises employees',
    });
  const days = definition.cadence.cycle === 'year' ? 365 : 181;
  if (rule.joiners.open === 'if-hired-before' && rule.joiners.cutoffDaysBeforeEnd >= days)
    issues.push({
      path: 'membership.joiners.cutoffDaysBeforeEnd',
      rule: 'cutoff-within-cycle',
      message: `a cutoff of ${rule.joiners.cutoffDaysBeforeEnd} days before the end lies before a ${definition.cadence.cycle} cycle starts (at most ${days - 1})`,
    });
  return issues;
}

type CycleOpened = Extract<CycleEvent, { type: 'CycleOpened' }>['data'];

/** An open cycle as the membership reactor sees it: its opening and the rule of its pinned workflow. */
export interface CycleMembership {
  opened: CycleOpened;
  rule: MembershipRule;
  /**
   * Everyone with an appraisal opened in the cycle so far: the scope's and the joiners' (read from
   * the log). Absent: only the scope's, so nobody is taken for a joiner who was not opened as one.
   */
  appraised?: ReadonlySet<string>;
  /** How many of the tenant's `directoryChanges` were recorded before the cycle opened (absent: none). */
  changesBefore?: number;
}

/** Whether the cycle appraises the employee: in its scope-date list or opened as a joiner since. */
export function appraisesEmployee(cycle: CycleMembership, employeeId: string): boolean {
  return (
    cycle.opened.appraisals.some(
      ({ subject }) => subject.kind === 'employee' && subject.employeeId === employeeId,
    ) ||
    (cycle.appraised?.has(employeeId) ?? false)
  );
}

/** A change of the directory that may concern a cycle (the directory's events, effective-dated). */
export type MembershipChange =
  | { kind: 'hired'; employeeId: string; orgUnitId: string; effectiveFrom: string }
  | { kind: 'transferred'; employeeId: string; orgUnitId: string; effectiveFrom: string }
  | { kind: 'left'; employeeId: string; effectiveFrom: string };

type MembershipEvent = Extract<
  DirectoryEvent,
  { type: 'EmployeeHired' | 'EmployeeTransferred' | 'EmployeeLeft' }
>;

/** The membership change a directory event records. */
export function membershipChangeOf(
  event: {
    [T in MembershipEvent['type']]: Pick<Extract<MembershipEvent, { type: T }>, 'type' | 'data'>;
  }[MembershipEvent['type']],
): MembershipChange {
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

/** A change as recorded: the id of the directory event it came from keys the commands it causes. */
export interface RecordedChange {
  eventId: string;
  change: MembershipChange;
}

/** Namespace of the ids of joiners' appraisals (UUIDv5 of tenant, cycle and employee). */
const JOINER_NAMESPACE = '6a1f0d3e-2b7c-4c9a-9e51-3f8d2a7b6c14';

/** A joiner's appraisal id: the same however often the hire is handed over, and findable when they move or leave. */
export function joinerAppraisalId(tenantId: string, cycleId: string, employeeId: string): string {
  return uuidV5(JOINER_NAMESPACE, `${tenantId}/${cycleId}/${employeeId}`);
}

const dayOf = (instant: string) => new Date(instant).toISOString().slice(0, 10);
const addDays = (day: string, days: number) =>
  new Date(new Date(`${day}T00:00:00.000Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** The first day of the cycle (its scope date) and its last day. */
function cycleDays(opened: CycleOpened): { scopeDate: string; lastDay: string } {
  return { scopeDate: dayOf(opened.startsAt), lastDay: addDays(dayOf(opened.endsAt), -1) };
}

/** The last day someone may be hired on and still be appraised in the cycle (`if-hired-before`). */
export function joinerCutoff(opened: CycleOpened, cutoffDaysBeforeEnd: number): string {
  return addDays(dayOf(opened.endsAt), -cutoffDaysBeforeEnd);
}

/**
 * What the cycle's membership rule makes of one change of the directory: the appraisal commands to
 * send, or none (with why, for tests and logs). Only changes effective after the scope date and
 * before the cycle ends count: the scope already holds everything up to the scope date. `others`
 * are the tenant's other open cycles: someone transferred into the scope whom none of them
 * appraises either is a joiner, on their transfer's date (ADR 0146).
 */
export function membershipCommands(
  tenantId: string,
  change: MembershipChange,
  cycle: CycleMembership,
  others: readonly CycleMembership[] = [],
): { commands: AppraisalCommand[]; why: string } {
  const { opened, rule } = cycle;
  const { scopeDate, lastDay } = cycleDays(opened);
  if (change.effectiveFrom <= scopeDate) return { commands: [], why: 'on or before the scope date' };
  if (change.effectiveFrom > lastDay) return { commands: [], why: 'after the cycle ends' };
  const inScope = opened.appraisals.find(
    ({ subject }) => subject.kind === 'employee' && subject.employeeId === change.employeeId,
  );
  // Someone not in the scope-date list may still have a joiner's appraisal in this cycle.
  const appraisalId =
    inScope?.appraisalId ??
    (appraisesEmployee(cycle, change.employeeId)
      ? joinerAppraisalId(tenantId, opened.cycleId, change.employeeId)
      : undefined);
  const joiner = (orgUnitId: string): { commands: AppraisalCommand[]; why: string } => {
    if (rule.joiners.open === 'never') return { commands: [], why: 'joiners: never' };
    const units = new Set(opened.appraisals.map(({ subject }) => subject.orgUnitId));
    if (!units.has(orgUnitId)) return { commands: [], why: 'unit not in the scope' };
    const cutoff = joinerCutoff(opened, rule.joiners.cutoffDaysBeforeEnd);
    if (change.effectiveFrom >= cutoff) return { commands: [], why: `joined on or after ${cutoff}` };
    return {
      commands: [
        {
          type: 'OpenJoinerAppraisal',
          data: {
            appraisalId: joinerAppraisalId(tenantId, opened.cycleId, change.employeeId),
            cycleId: opened.cycleId,
            subject: { kind: 'employee', employeeId: change.employeeId, orgUnitId },
            workflowId: opened.workflowId,
            workflowVersion: opened.workflowVersion,
            cycleStartsAt: opened.startsAt,
            cycleEndsAt: opened.endsAt,
            periods: opened.periods,
            joinedOn: change.effectiveFrom,
          },
        },
      ],
      why: 'joiner',
    };
  };
  switch (change.kind) {
    case 'hired':
      if (appraisalId) return { commands: [], why: 'already appraised in this cycle' };
      return joiner(change.orgUnitId);
    case 'transferred':
      if (!appraisalId) {
        // From outside every cycle into this one's scope: a joiner, cut off by the transfer's date.
        if (others.some((other) => appraisesEmployee(other, change.employeeId)))
          return { commands: [], why: 'appraised in another cycle' };
        return joiner(change.orgUnitId);
      }
      if (rule.movers.unitAt === 'scope-date') return { commands: [], why: 'movers: unit at the scope date' };
      return {
        commands: [
          {
            type: 'MoveAppraisalUnit',
            data: { appraisalId, orgUnitId: change.orgUnitId, effectiveFrom: change.effectiveFrom },
          },
        ],
        why: 'mover',
      };
    case 'left':
      if (!appraisalId) return { commands: [], why: 'not appraised in this cycle' };
      if (rule.leavers.appraisal === 'keep') return { commands: [], why: 'leavers: keep' };
      return {
        commands: [
          {
            type: 'WithdrawAppraisal',
            data: { appraisalId, cause: 'employee-left', effectiveFrom: change.effectiveFrom },
          },
        ],
        why: 'leaver',
      };
    default: {
      const never: never = change;
      return never;
    }
  }
}
