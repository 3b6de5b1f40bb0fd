import { decideDirectoryBatch } from '../directory/directory.decide';
import type { DirectoryCommand } from '../directory/directory.commands';
import type { DirectoryEvent, ORG_UNIT_KINDS } from '../directory/directory.events';
import { evolveDirectory, initialDirectoryState, type Directory } from '../directory/directory.state';
import type { DomainContext } from '../shared/context';
import { NOW } from './specification';

/** The directory specs' histories begin here: the demo tenant created with its head office `hq`. */
export const demoWithHq: DirectoryEvent[] = [
  { type: 'TenantCreated', data: { tenantId: 'demo', name: 'Demo Group', at: NOW } },
  {
    type: 'OrgUnitCreated',
    data: { orgUnitId: 'hq', parentId: null, kind: 'hq', name: 'HQ', effectiveFrom: '2026-01-01' },
  },
];

/** `e-7` hired into `hq` on 2026-01-01, with the personal data given (well-formed or not). */
export const e7Hired = <Pii>(pii: Pii) => ({
  type: 'EmployeeHired' as const,
  data: {
    employeeId: 'e-7',
    orgUnitId: 'hq',
    managerId: null,
    position: null,
    effectiveFrom: '2026-01-01',
    pii,
  },
});

/**
 * A small org for the unit tests that read a directory (heads, visibility, 360 candidates, unit
 * results): units and people written as the directory's own commands, decided and folded as an admin's
 * import would be, so a fixture can never hold a directory the domain would refuse.
 */
export function orgDirectory(
  options: { effectiveFrom?: string; kind?: (typeof ORG_UNIT_KINDS)[number] } = {},
) {
  const effectiveFrom = options.effectiveFrom ?? '2026-01-01';
  const kind = options.kind ?? 'team';
  const admin: DomainContext = {
    now: `${effectiveFrom}T00:00:00.000Z`,
    tenantId: 't',
    actor: { id: 'u-admin', role: 'admin' },
    newId: () => 'x',
  };
  const hire = (employeeId: string, orgUnitId: string, managerId: string | null): DirectoryCommand => ({
    type: 'HireEmployee',
    data: { employeeId, orgUnitId, managerId, position: null, name: employeeId, effectiveFrom },
  });
  return {
    /**
     * The unit under `parentId`, then its people hired into it in order, each mapped to their manager
     * (ids that are words: an object puts numeric keys first).
     */
    unit: (
      orgUnitId: string,
      parentId: string | null,
      people: Record<string, string | null> = {},
    ): DirectoryCommand[] => [
      { type: 'CreateOrgUnit', data: { orgUnitId, parentId, kind, name: orgUnitId, effectiveFrom } },
      ...Object.entries(people).map(([employeeId, managerId]) => hire(employeeId, orgUnitId, managerId)),
    ],
    /** One more person, for a hire whose manager sits in a unit created later. */
    hire,
    left: (employeeId: string, on: string): DirectoryCommand => ({
      type: 'RecordEmployeeLeft',
      data: { employeeId, effectiveFrom: on },
    }),
    /** The directory after the tenant is created and `commands` are applied in order. */
    build: (commands: (DirectoryCommand | DirectoryCommand[])[]): Directory =>
      decideDirectoryBatch(
        [{ type: 'CreateTenant', data: { name: 't' } }, ...commands.flat()],
        initialDirectoryState(),
        admin,
      ).reduce(evolveDirectory, initialDirectoryState()),
  };
}
