import { orgUnitOf, managerOf } from '../directory/directory.queries';
import type { Directory } from '../directory/directory.state';
import { rollUpTargetTree, type TargetProgress, type TargetTree } from './target-tree.decide';
import type { UnitResultRule } from './unit-result-rule.schema';

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
