import {
  directoryDecider,
  decideDirectoryBatch,
  decideDirectoryEach,
  employeesInScope,
  evolveDirectory,
  initialDirectoryState,
  managementChain,
  managerOf,
  orgUnitOf,
  relationOf,
  resolveRelative,
  valueAt,
  type DirectoryCommand,
  type DirectoryEvent,
} from '../index';
import { demoWithHq } from '../testing/org-directory';
import { contextFor, specification } from '../testing/specification';

const spec = specification(directoryDecider);
const hr = contextFor('hr');
const admin = contextFor('admin');

/** HR hiring into a unit on 2026-02-01, named by the id, with no manager or position unless given. */
const hire = (
  employeeId: string,
  orgUnitId: string,
  data: Partial<Extract<DirectoryCommand, { type: 'HireEmployee' }>['data']> = {},
): DirectoryCommand => ({
  type: 'HireEmployee',
  data: {
    employeeId,
    orgUnitId,
    managerId: null,
    position: null,
    name: employeeId,
    effectiveFrom: '2026-02-01',
    ...data,
  },
});

/** A new team, West, under sales from 2026-02-01. */
const createWest: DirectoryCommand = {
  type: 'CreateOrgUnit',
  data: { orgUnitId: 'west', parentId: 'sales', kind: 'team', name: 'West', effectiveFrom: '2026-02-01' },
};

/** `orgUnitId` moved under `parentId`, from 2026-02-01 unless given. */
const moveUnit = (orgUnitId: string, parentId: string, effectiveFrom = '2026-02-01'): DirectoryCommand => ({
  type: 'MoveOrgUnit',
  data: { orgUnitId, parentId, effectiveFrom },
});

/** `employeeId` put under `managerId`, from 2026-02-01 unless given. */
const assignManager = (
  employeeId: string,
  managerId: string,
  effectiveFrom = '2026-02-01',
): DirectoryCommand => ({
  type: 'AssignManager',
  data: { employeeId, managerId, effectiveFrom },
});

/** An employee as the directory records a hire on 2026-01-01, the name (and e-mail) under pii. */
const hired = (
  employeeId: string,
  orgUnitId: string,
  managerId: string | null,
  position: string | null,
  pii: { name: string; email?: string },
): DirectoryEvent => ({
  type: 'EmployeeHired',
  data: { employeeId, orgUnitId, managerId, position, effectiveFrom: '2026-01-01', pii },
});

const created: DirectoryEvent[] = [
  ...demoWithHq,
  {
    type: 'OrgUnitCreated',
    data: {
      orgUnitId: 'sales',
      parentId: 'hq',
      kind: 'department',
      name: 'Sales',
      effectiveFrom: '2026-01-01',
    },
  },
  {
    type: 'OrgUnitCreated',
    data: { orgUnitId: 'east', parentId: 'sales', kind: 'team', name: 'East', effectiveFrom: '2026-01-01' },
  },
  hired('boss', 'hq', null, 'CEO', { name: 'Bo Ss' }),
  hired('mgr', 'sales', 'boss', null, { name: 'Ma Nager' }),
  hired('ann', 'east', 'mgr', 'Rep', { name: 'Ann', email: 'ann@example.com' }),
  hired('bob', 'east', 'mgr', 'Rep', { name: 'Bob' }),
];

describe('directory: decide', () => {
  it('creates a tenant (admin only, once)', () => {
    spec
      .given([])
      .when({ type: 'CreateTenant', data: { name: 'Demo Group' } }, admin)
      .then([created[0]]);
    spec
      .given([])
      .when({ type: 'CreateTenant', data: { name: 'x' } }, hr)
      .thenThrows('role-not-allowed', 'forbidden');
    spec
      .given(created)
      .when({ type: 'CreateTenant', data: { name: 'x' } }, admin)
      .thenThrows('tenant-exists', 'conflict');
  });

  const cases: Array<[string, DirectoryCommand, DirectoryEvent['type']]> = [
    ['creates an org unit', createWest, 'OrgUnitCreated'],
    [
      'renames an org unit',
      {
        type: 'RenameOrgUnit',
        data: { orgUnitId: 'east', name: 'East & North', effectiveFrom: '2026-03-01' },
      },
      'OrgUnitRenamed',
    ],
    ['moves an org unit', moveUnit('east', 'hq', '2026-03-01'), 'OrgUnitMoved'],
    ['hires an employee', hire('cai', 'east', { managerId: 'mgr', name: 'Cai' }), 'EmployeeHired'],
    [
      'transfers an employee',
      {
        type: 'TransferEmployee',
        data: { employeeId: 'bob', orgUnitId: 'sales', effectiveFrom: '2026-04-01' },
      },
      'EmployeeTransferred',
    ],
    [
      'records a leaver',
      { type: 'RecordEmployeeLeft', data: { employeeId: 'bob', effectiveFrom: '2026-05-01' } },
      'EmployeeLeft',
    ],
    ['assigns a manager', assignManager('bob', 'boss', '2026-03-03'), 'ManagerAssigned'],
    [
      'assigns a process owner',
      {
        type: 'AssignProcessOwner',
        data: { employeeId: 'mgr', process: 'sales-4232', orgUnitId: 'sales', effectiveFrom: '2026-01-01' },
      },
      'ProcessOwnerAssigned',
    ],
    [
      'assigns an HR partner to a unit',
      {
        type: 'AssignHrPartner',
        data: { employeeId: 'mgr', orgUnitId: 'east', effectiveFrom: '2026-01-01' },
      },
      'HrPartnerAssigned',
    ],
  ];
  it.each(cases)('%s', (_title, command, type) => {
    const events = spec.given(created).when(command, hr).events();
    expect(events.map((event) => event.type)).toEqual([type]);
    spec.given(created).when(command, contextFor('employee')).thenThrows('role-not-allowed', 'forbidden');
    spec.given([]).when(command, hr).thenThrows('tenant-not-created', 'illegal-state');
  });

  it('keeps names and e-mails under pii', () => {
    spec
      .given(created)
      .when(
        {
          type: 'HireEmployee',
          data: {
            employeeId: 'cai',
            orgUnitId: 'east',
            managerId: null,
            position: null,
            name: 'Cai',
            email: 'cai@example.com',
            effectiveFrom: '2026-02-01',
          },
        },
        hr,
      )
      .then([
        {
          type: 'EmployeeHired',
          data: {
            employeeId: 'cai',
            orgUnitId: 'east',
            managerId: null,
            position: null,
            effectiveFrom: '2026-02-01',
            pii: { name: 'Cai', email: 'cai@example.com' },
          },
        },
      ]);
  });

  it.each<[string, DirectoryCommand, string, string]>([
    [
      'a duplicate org unit',
      {
        type: 'CreateOrgUnit',
        data: { orgUnitId: 'east', parentId: 'hq', kind: 'team', name: 'E', effectiveFrom: '2026-01-01' },
      },
      'org-unit-exists',
      'conflict',
    ],
    [
      'an unknown parent',
      {
        type: 'CreateOrgUnit',
        data: { orgUnitId: 'x', parentId: 'nope', kind: 'team', name: 'X', effectiveFrom: '2026-01-01' },
      },
      'org-unit-not-found',
      'not-found',
    ],
    [
      'renaming an unknown unit',
      { type: 'RenameOrgUnit', data: { orgUnitId: 'nope', name: 'X', effectiveFrom: '2026-01-01' } },
      'org-unit-not-found',
      'not-found',
    ],
    ['moving a unit under its own descendant', moveUnit('sales', 'east'), 'org-unit-cycle', 'illegal-state'],
    ['moving a unit under itself', moveUnit('sales', 'sales'), 'org-unit-cycle', 'illegal-state'],
    [
      'a duplicate employee',
      hire('ann', 'east', { name: 'A', effectiveFrom: '2026-01-01' }),
      'employee-exists',
      'conflict',
    ],
    [
      'a manager not yet employed',
      hire('cai', 'east', { managerId: 'mgr', name: 'C', effectiveFrom: '2025-12-01' }),
      'employee-not-employed',
      'illegal-state',
    ],
    ['an unknown manager', assignManager('ann', 'ghost'), 'employee-not-found', 'not-found'],
    ['a management loop', assignManager('boss', 'ann'), 'manager-cycle', 'illegal-state'],
    ['managing oneself', assignManager('ann', 'ann'), 'manager-cycle', 'illegal-state'],
    [
      'a leaver leaving again',
      { type: 'RecordEmployeeLeft', data: { employeeId: 'gone', effectiveFrom: '2026-06-01' } },
      'employee-left',
      'illegal-state',
    ],
    [
      'an unknown leaver',
      { type: 'RecordEmployeeLeft', data: { employeeId: 'ghost', effectiveFrom: '2026-06-01' } },
      'employee-not-found',
      'not-found',
    ],
    [
      'transferring a leaver',
      {
        type: 'TransferEmployee',
        data: { employeeId: 'gone', orgUnitId: 'hq', effectiveFrom: '2026-06-01' },
      },
      'employee-not-employed',
      'illegal-state',
    ],
    [
      'a process owner in an unknown unit',
      {
        type: 'AssignProcessOwner',
        data: { employeeId: 'mgr', process: 'p', orgUnitId: 'nope', effectiveFrom: '2026-01-01' },
      },
      'org-unit-not-found',
      'not-found',
    ],
    [
      'an HR partner in an unknown unit',
      {
        type: 'AssignHrPartner',
        data: { employeeId: 'mgr', orgUnitId: 'nope', effectiveFrom: '2026-01-01' },
      },
      'org-unit-not-found',
      'not-found',
    ],
  ])('refuses %s', (_title, command, code, intent) => {
    const withLeaver: DirectoryEvent[] = [
      ...created,
      hired('gone', 'east', null, null, { name: 'G' }),
      { type: 'EmployeeLeft', data: { employeeId: 'gone', effectiveFrom: '2026-03-01' } },
    ];
    spec.given(withLeaver).when(command, hr).thenThrows(code, intent);
  });

  it('imports in bulk: all commands fold in order', () => {
    const events = decideDirectoryBatch(
      [createWest, hire('dee', 'west', { managerId: 'mgr', name: 'Dee' })],
      created.reduce(evolveDirectory, initialDirectoryState()),
      hr,
    );
    expect(events.map((event) => event.type)).toEqual(['OrgUnitCreated', 'EmployeeHired']);
  });

  it('names every refused command of a bulk import, deciding the rest on the state they leave', () => {
    const state = created.reduce(evolveDirectory, initialDirectoryState());
    const commands = [hire('dee', 'nowhere'), hire('eve', 'sales'), hire('fay', 'nowhere')];
    const { events, refused } = decideDirectoryEach(commands, state, hr);
    expect(events.map((event) => event.type)).toEqual(['EmployeeHired']);
    expect(refused.map(({ index, error }) => [index, error.code])).toEqual([
      [0, 'org-unit-not-found'],
      [2, 'org-unit-not-found'],
    ]);
    // All or nothing: the first refusal.
    expect(() => decideDirectoryBatch(commands, state, hr)).toThrow(refused[0].error);
  });
});

describe('directory: effective-dated questions', () => {
  const history: DirectoryEvent[] = [
    ...created,
    { type: 'ManagerAssigned', data: { employeeId: 'bob', managerId: 'boss', effectiveFrom: '2026-03-01' } },
    {
      type: 'EmployeeTransferred',
      data: { employeeId: 'bob', orgUnitId: 'hq', effectiveFrom: '2026-03-01' },
    },
    { type: 'OrgUnitRenamed', data: { orgUnitId: 'east', name: 'East+', effectiveFrom: '2026-02-01' } },
    { type: 'OrgUnitMoved', data: { orgUnitId: 'east', parentId: 'hq', effectiveFrom: '2026-06-01' } },
    {
      type: 'ProcessOwnerAssigned',
      data: { employeeId: 'mgr', process: 'sales-4232', orgUnitId: null, effectiveFrom: '2026-01-01' },
    },
    { type: 'EmployeeLeft', data: { employeeId: 'ann', effectiveFrom: '2026-09-01' } },
  ];
  const state = history.reduce(evolveDirectory, initialDirectoryState());

  it("answers who was someone's manager on a given day", () => {
    expect(managerOf(state, 'bob', '2026-02-15')).toBe('mgr');
    expect(managerOf(state, 'bob', '2026-03-03T10:00:00Z')).toBe('boss');
    expect(managerOf(state, 'ghost', '2026-03-03')).toBeNull();
    expect(orgUnitOf(state, 'bob', '2026-03-01')).toBe('hq');
    expect(orgUnitOf(state, 'ghost', '2026-03-01')).toBeNull();
    expect(managementChain(state, 'ann', '2026-02-01')).toEqual(['mgr', 'boss']);
    expect(state.status === 'active' && valueAt(state.orgUnits.east.name, '2026-01-15')).toBe('East');
    expect(state.status === 'active' && valueAt(state.orgUnits.east.name, '2026-02-15')).toBe('East+');
    expect(state.status === 'active' && state.processOwners).toHaveLength(1);
  });

  it('resolves who fills a step role or an escalation target', () => {
    expect(resolveRelative(state, 'self', 'ann', '2026-02-01')).toBe('ann');
    expect(resolveRelative(state, 'manager', 'ann', '2026-02-01')).toBe('mgr');
    expect(resolveRelative(state, 'skip-level', 'ann', '2026-02-01')).toBe('boss');
    expect(resolveRelative(state, 'skip-level', 'mgr', '2026-02-01')).toBeNull();
    expect(resolveRelative(state, 'hr', 'ann', '2026-02-01')).toBeNull();
  });

  it('computes the relation the API puts into the context', () => {
    expect(relationOf(state, 'ann', 'ann', '2026-02-01')).toBe('self');
    expect(relationOf(state, 'mgr', 'ann', '2026-02-01')).toBe('manager');
    expect(relationOf(state, 'boss', 'ann', '2026-02-01')).toBe('skip-level');
    expect(relationOf(state, 'bob', 'ann', '2026-02-01')).toBe('peer');
    expect(relationOf(state, 'bob', 'ann', '2026-04-01')).toBe('none');
    expect(relationOf(state, undefined, 'ann', '2026-04-01')).toBe('none');
  });

  it('lists employees in scope, sub-units included, on a date', () => {
    expect(
      employeesInScope(state, ['sales'], '2026-02-01').map((s) => s.kind === 'employee' && s.employeeId),
    ).toEqual(['ann', 'bob', 'mgr']);
    expect(
      employeesInScope(state, ['sales'], '2026-07-01').map((s) => s.kind === 'employee' && s.employeeId),
    ).toEqual(['mgr']);
    expect(
      employeesInScope(state, ['hq'], '2026-10-01').map((s) => s.kind === 'employee' && s.employeeId),
    ).toEqual(['bob', 'boss', 'mgr']);
    expect(employeesInScope(initialDirectoryState(), ['hq'], '2026-10-01')).toEqual([]);
  });

  it('ignores events before the tenant exists', () => {
    expect(evolveDirectory(initialDirectoryState(), created[1])).toEqual({ status: 'empty' });
  });
});
