import {
  evolveTargetTree,
  initialTargetTreeState,
  rollUpTargetTree,
  targetTreeDecider,
  type TargetTreeEvent,
} from '../index';
import { NOW, contextFor, specification } from '../testing/specification';

const spec = specification(targetTreeDecider);
const hr = contextFor('hr');

const set = (
  targetId: string,
  parentId: string | null,
  level: 'company' | 'org-unit' | 'person',
  ownerId: string,
  amount: string,
  rollUp: 'sum' | 'average' | 'min' | 'max' = 'sum',
  indicatorId = 'sales_volume',
): TargetTreeEvent => ({
  type: 'TargetSet',
  data: {
    cycleId: 'c1',
    targetId,
    parentId,
    level,
    ownerId,
    indicatorId,
    unit: 'units',
    rollUp,
    amount,
    at: NOW,
  },
});
const command = (event: TargetTreeEvent) => {
  const { at: _at, ...data } = event.data;
  return { type: 'SetTarget', data } as const;
};

describe('target tree', () => {
  const company = set('co', null, 'company', 'demo', '100');
  const east = set('east', 'co', 'org-unit', 'east', '60');

  it('sets a node under an existing parent of the level above, same indicator, within an additive parent', () => {
    spec.given([company]).when(command(east), hr).then([east]);
    spec
      .given([company, east])
      .when(command(set('west', 'co', 'org-unit', 'west', '41')), hr)
      .thenThrows('children-exceed-parent', 'validation');
    spec
      .given([company])
      .when(command(set('x', 'nope', 'org-unit', 'x', '1')), hr)
      .thenThrows('parent-target-not-found', 'not-found');
    spec
      .given([company])
      .when(command(set('x', 'co', 'org-unit', 'x', '1', 'sum', 'inventory')), hr)
      .thenThrows('indicator-family', 'validation');
    spec
      .given([company])
      .when(command(set('p', 'co', 'person', 'e-1', '1')), hr)
      .thenThrows('level-order', 'validation');
    spec.given([]).when(command(company), contextFor('employee')).thenThrows('role-not-allowed', 'forbidden');
  });

  it('rolls up by sum, and by a declared rule where the indicator is not additive', () => {
    const events = [
      company,
      east,
      set('west', 'co', 'org-unit', 'west', '40'),
      set('ann', 'east', 'person', 'e-ann', '30'),
      set('bob', 'east', 'person', 'e-bob', '30'),
      set('cai', 'west', 'person', 'e-cai', '40'),
      set('rate', null, 'company', 'demo', '95', 'average', 'on_time_rate'),
      set('rate-east', 'rate', 'org-unit', 'east', '95', 'average', 'on_time_rate'),
      set('rate-west', 'rate', 'org-unit', 'west', '95', 'average', 'on_time_rate'),
      set('rate-ann', 'rate-east', 'person', 'e-ann', '95', 'average', 'on_time_rate'),
      set('rate-bob', 'rate-east', 'person', 'e-bob', '95', 'average', 'on_time_rate'),
      set('rate-cai', 'rate-west', 'person', 'e-cai', '95', 'average', 'on_time_rate'),
    ];
    const tree = events.reduce(evolveTargetTree, initialTargetTreeState());
    const actuals: Record<string, Record<string, string>> = {
      'e-ann': { sales_volume: '12.5', on_time_rate: '90' },
      'e-bob': { sales_volume: '20', on_time_rate: '100' },
      'e-cai': { sales_volume: '7', on_time_rate: '80' },
    };
    const [sales, rate] = rollUpTargetTree(
      tree,
      (employee, indicator) => actuals[employee]?.[indicator] ?? null,
    );
    // By hand: East 12.5 + 20 = 32.5; West 7; company 39.5 (39.50 % of 100).
    expect(sales).toMatchObject({ actual: '39.5', progress: '39.50', allocated: '100' });
    expect(sales.children.map((node) => [node.targetId, node.actual, node.progress])).toEqual([
      ['east', '32.5', '54.17'],
      ['west', '7', '17.50'],
    ]);
    // A rate does not add up: East (90 + 100) / 2 = 95, West 80, the company (95 + 80) / 2 = 87.5.
    expect(rate).toMatchObject({ actual: '87.5', allocated: null });
    expect(rate.children.map((node) => node.actual)).toEqual(['95', '80']);
  });
});
