import { orgChartOf, type DirectoryAnswer, type Employee, type UnitNode } from './org-chart';

const employee = (
  employeeId: string,
  orgUnitId: string,
  managerId: string | null,
  name: string | null,
): Employee => ({
  employeeId,
  orgUnitId,
  managerId,
  position: null,
  hiredFrom: '2025-01-01',
  leftFrom: null,
  employed: true,
  name,
});

const directory: DirectoryAnswer = {
  asOf: '2026-03-01',
  orgUnits: [
    { orgUnitId: 'sales', kind: 'department', parentId: 'hq', name: 'Sales', headId: 'e-mgr' },
    { orgUnitId: 'hq', kind: 'hq', parentId: null, name: 'HQ', headId: 'e-boss' },
    { orgUnitId: 'north', kind: 'branch', parentId: 'sales', name: 'North', headId: null },
    { orgUnitId: 'it', kind: 'department', parentId: 'hq', name: 'IT', headId: null },
  ],
  employees: [
    employee('e-boss', 'hq', null, 'Wang Wei'),
    employee('e-mgr', 'sales', 'e-boss', 'Mei Lin'),
    employee('e-ann', 'sales', 'e-mgr', 'Ann'),
    employee('e-nia', 'north', 'e-mgr', null),
    employee('e-ola', 'north', 'e-mgr', 'Ola'),
  ],
};

/** The tree as `unit[head]: people` lines, indented by depth: what the chart shows. */
const outline = (nodes: UnitNode[], depth = 0): string[] =>
  nodes.flatMap((node) => [
    `${'  '.repeat(depth)}${node.unit.orgUnitId}[${node.head?.employeeId ?? ''}]: ${node.people.map((p) => p.employeeId).join(' ')}`,
    ...outline(node.children, depth + 1),
  ]);

describe('orgChartOf: the directory as a tree of units with their head and people', () => {
  it.each([
    [
      'nests each unit under its parent, with its head and its people',
      undefined,
      ['hq[e-boss]: e-boss', '  sales[e-mgr]: e-mgr e-ann', '    north[]: e-nia e-ola', '  it[]: '],
    ],
    [
      'finds a person by name in any case, shown inside the units above them only',
      ' ola ',
      ['hq[e-boss]: ', '  sales[e-mgr]: ', '    north[]: e-ola'],
    ],
    // A name the reader may not see is not searched; the id still is.
    [
      'finds a person without a name by their id',
      'e-nia',
      ['hq[e-boss]: ', '  sales[e-mgr]: ', '    north[]: e-nia'],
    ],
    [
      'keeps everything under a unit found by its name',
      'Sales',
      ['hq[e-boss]: ', '  sales[e-mgr]: e-mgr e-ann', '    north[]: e-nia e-ola'],
    ],
    ['keeps nothing when nothing matches', 'nobody', []],
  ])('%s', (_case, search, lines) => {
    expect(outline(orgChartOf(directory, search))).toEqual(lines);
  });
});
