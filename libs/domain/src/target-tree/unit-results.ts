import { orgUnitOf, managerOf } from '../directory/directory.queries';
import type { Directory } from '../directory/directory.state';
import { rollUpTargetTree, type TargetProgress, type TargetTree } from './target-tree.decide';
import type { UnitResultRule } from './unit-result-rule.schema';
import type { Appraisal } from '../appraisal/appraisal.state';

/**
 * The head of an org unit on a date: the unit's one member whose manager is outside it (null when
 * there is none, or more than one, so a result is never fed to a guess).
 */
export function unitHeadOf(directory: Directory, orgUnitId: string, date: string): string | null {
  if (directory.status === 'empty') return null;
  const members = Object.keys(directory.employees).filter(
    (id) => orgUnitOf(directory, id, date) === orgUnitId,
  );
  const heads = members.filter((id) => {
    const manager = managerOf(directory, id, date);
    return manager === null || orgUnitOf(directory, manager, date) !== orgUnitId;
  });
  return heads.length === 1 ? heads[0] : null;
}

export interface UnitResult {
  targetId: string;
  orgUnitId: string;
  headEmployeeId: string | null;
  indicatorId: string;
  actual: string;
}

/**
 * Each org-unit target's result for one period by the rules: the tree rolled up over the people's
 * actuals of that period, one line per org-unit node of a rule's target indicator, with the unit's head.
 */
export function unitResultsOf(
  tree: TargetTree,
  periodActualOf: (employeeId: string, indicatorId: string) => string | null,
  rules: readonly UnitResultRule[],
  headOf: (orgUnitId: string) => string | null,
): UnitResult[] {
  const nodes: TargetProgress[] = [];
  const walk = (node: TargetProgress) => {
    nodes.push(node);
    node.children.forEach(walk);
  };
  rollUpTargetTree(tree, periodActualOf).forEach(walk);
  return rules.flatMap((rule) =>
    nodes
      .filter((node) => node.level === 'org-unit' && node.indicatorId === rule.targetIndicatorId)
      .map((node) => ({
        targetId: node.targetId,
        orgUnitId: node.ownerId,
        headEmployeeId: headOf(node.ownerId),
        indicatorId: rule.headIndicatorId,
        actual: node.actual,
      })),
  );
}

/** The source a fed figure carries: it comes from the cycle's target tree (reference: the unit's target). */
export const UNIT_RESULT_SOURCE = 'target-tree';

/** One unit's result for a period, and the head's appraisal it is filed on (null: fed to nobody). */
export interface UnitResultFeed extends UnitResult {
  appraisalId: string | null;
}

/**
 * A period's unit results from the cycle's appraisals, as the HTTP feed and the worker's automatic
 * feed (ADR 0125) both file them: the people's actuals of that period rolled up the tree by the
 * workflow's rules; each unit's head as of the period's last day, fed only when the cycle appraises
 * them. `null` when no appraisal of the cycle has the period.
 */
export function unitResultFeedOf(input: {
  tree: TargetTree;
  appraisals: readonly Appraisal[];
  directory: Directory;
  rules: readonly UnitResultRule[];
  periodId: string;
}): UnitResultFeed[] | null {
  const actuals = new Map<string, Record<string, string>>();
  const appraisalOf = new Map<string, string>();
  let periodEnd: string | null = null;
  for (const state of input.appraisals) {
    if (state.status === 'empty' || state.subject.kind !== 'employee') continue;
    appraisalOf.set(state.subject.employeeId, state.id);
    const period = state.periods[input.periodId];
    if (period) {
      actuals.set(state.subject.employeeId, period.actuals);
      periodEnd = period.endsAt;
    }
  }
  if (periodEnd === null) return null;
  // The head as of the period's last day.
  const lastDay = new Date(Date.parse(periodEnd) - 1).toISOString();
  return unitResultsOf(
    input.tree,
    (employeeId, indicatorId) => actuals.get(employeeId)?.[indicatorId] ?? null,
    input.rules,
    (orgUnitId) => unitHeadOf(input.directory, orgUnitId, lastDay),
  ).map((result) => ({
    ...result,
    appraisalId: (result.headEmployeeId && appraisalOf.get(result.headEmployeeId)) || null,
  }));
}
