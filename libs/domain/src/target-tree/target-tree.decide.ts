import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '../shared/errors';
import type { DomainContext } from '../shared/context';
import { requireRole } from '../shared/authorize';
import { assertNever } from '../shared/messages';
import { dec, show } from '../scoring/decimal';
import type { TargetTreeCommand } from './target-tree.commands';
import type { TargetTreeEvent } from './target-tree.events';

export type TargetNode = Omit<Extract<TargetTreeEvent, { type: 'TargetSet' }>['data'], 'at'>;

/** One cycle's target tree (stream `target-tree-<tenant>.<cycleId>`). */
export interface TargetTree {
  cycleId: string | null;
  targets: Record<string, TargetNode>;
  /** Target ids in the order they were set. */
  order: string[];
}

export const initialTargetTreeState = (): TargetTree => ({ cycleId: null, targets: {}, order: [] });

// Where a level may hang: units nest (East → its sales teams), people hang under a unit.
const PARENT_LEVELS: Record<TargetNode['level'], TargetNode['level'][]> = {
  company: [],
  'org-unit': ['company', 'org-unit'],
  person: ['org-unit'],
};

const rule = (path: string, code: string, message: string) =>
  new ValidationError(code, message, [{ path, rule: code, message }]);

export function decideTargetTree(
  command: TargetTreeCommand,
  state: TargetTree,
  ctx: DomainContext,
): TargetTreeEvent[] {
  switch (command.type) {
    case 'SetTarget': {
      requireRole(ctx, ['hr', 'process-owner', 'admin'], 'Setting a target');
      const { targetId, parentId, level } = command.data;
      if (state.targets[targetId])
        throw new ConflictError('target-exists', `target "${targetId}" is set already`);
      const amount = show(dec(command.data.amount));
      if (level === 'company') {
        if (parentId !== null)
          throw rule('parentId', 'company-target-has-parent', 'a company target has no parent');
      } else {
        if (parentId === null) throw rule('parentId', 'parent-required', `a ${level} target needs a parent`);
        const parent = state.targets[parentId];
        if (!parent)
          throw new NotFoundError('parent-target-not-found', `parentId: no target "${parentId}"`, {
            path: 'parentId',
          });
        if (!PARENT_LEVELS[level].includes(parent.level))
          throw rule('level', 'level-order', `a ${level} target cannot hang under a ${parent.level} target`);
        if (parent.indicatorId !== command.data.indicatorId)
          throw rule(
            'indicatorId',
            'indicator-family',
            `"${command.data.indicatorId}" is not the parent's indicator "${parent.indicatorId}"`,
          );
        if (parent.unit !== command.data.unit || parent.rollUp !== command.data.rollUp)
          throw rule('unit', 'unit-mismatch', `the parent counts in "${parent.unit}" by ${parent.rollUp}`);
        if (parent.rollUp === 'sum') {
          const allocated = state.order
            .map((id) => state.targets[id])
            .filter((target) => target.parentId === parentId)
            .reduce((total, target) => total.plus(dec(target.amount)), dec(amount));
          if (allocated.greaterThan(dec(parent.amount)))
            throw rule(
              'amount',
              'children-exceed-parent',
              `the children of "${parentId}" would add up to ${show(allocated)}, more than its ${parent.amount}`,
            );
        }
      }
      if (state.cycleId !== null && state.cycleId !== command.data.cycleId)
        throw new IllegalStateError('cycle-mismatch', 'a tree belongs to one cycle');
      return [{ type: 'TargetSet', data: { ...command.data, amount, at: ctx.now } }];
    }
    default:
      return assertNever(command.type);
  }
}

export function evolveTargetTree(state: TargetTree, event: TargetTreeEvent): TargetTree {
  switch (event.type) {
    case 'TargetSet': {
      const { at: _at, ...node } = event.data;
      return {
        cycleId: event.data.cycleId,
        targets: { ...state.targets, [node.targetId]: node },
        order: [...state.order, node.targetId],
      };
    }
    default:
      return assertNever(event.type);
  }
}

export interface TargetProgress extends TargetNode {
  /** The result so far: a person's filed actuals summed over the cycle's periods, rolled up above. */
  actual: string;
  /** actual ÷ amount in percent, two places (null when the amount is 0). */
  progress: string | null;
  /** What the children's amounts add up to (sum trees only). */
  allocated: string | null;
  children: TargetProgress[];
}

/**
 * The tree with each node's result: people's actuals (per employee, per indicator, already summed
 * over the periods filed) at the leaves, each parent by its roll-up rule over its children.
 */
export function rollUpTargetTree(
  tree: TargetTree,
  actualsOf: (employeeId: string, indicatorId: string) => string | null,
): TargetProgress[] {
  const nodes = tree.order.map((id) => tree.targets[id]);
  const build = (node: TargetNode): TargetProgress => {
    const children = nodes.filter((child) => child.parentId === node.targetId).map(build);
    let actual = dec(0);
    if (node.level === 'person') actual = dec(actualsOf(node.ownerId, node.indicatorId) ?? '0');
    else if (children.length > 0) {
      const values = children.map((child) => dec(child.actual));
      actual =
        node.rollUp === 'sum'
          ? values.reduce((a, b) => a.plus(b), dec(0))
          : node.rollUp === 'average'
            ? values.reduce((a, b) => a.plus(b), dec(0)).dividedBy(values.length)
            : node.rollUp === 'min'
              ? values.reduce((a, b) => (b.lessThan(a) ? b : a))
              : values.reduce((a, b) => (b.greaterThan(a) ? b : a));
    }
    const amount = dec(node.amount);
    return {
      ...node,
      actual: show(actual),
      progress: amount.isZero() ? null : actual.times(100).dividedBy(amount).toDecimalPlaces(2).toFixed(2),
      allocated:
        node.rollUp === 'sum' && children.length > 0
          ? show(children.map((child) => dec(child.amount)).reduce((a, b) => a.plus(b), dec(0)))
          : null,
      children,
    };
  };
  return nodes.filter((node) => node.parentId === null).map(build);
}
