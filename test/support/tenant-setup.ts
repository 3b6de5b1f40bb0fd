import { sales4232Workflow } from '@verity/domain';
import { eventually } from './eventually';

/** The set-up's requests, as the tenant's admin, HR or process owner; a command must succeed. */
export interface SetUpRequests {
  command: <T = unknown>(
    path: string,
    who: { role: 'admin' | 'hr' | 'process-owner' },
    body?: unknown,
  ) => Promise<T>;
  get: <T>(path: string, who: { role: 'hr' }) => Promise<T>;
}

/** A cycle as `GET /cycles/:cycleId` reads it, with what a test looks at. */
export type CycleRead = {
  opening: { opened: number; of: number; done: boolean; progress: string };
  opened: { appraisals: { appraisalId: string; subject: { employeeId: string } }[] };
  appraisalIds: string[];
};

/**
 * A tenant ready for cycles: its name, the directory import's rows (test/support/directory-rows.ts
 * builds them) and a version of the `sales-4232` workflow (the sales 4232 workflow unless given).
 */
export async function setUpTenant(
  requests: SetUpRequests,
  tenant: { company: string; directory: object[]; workflow?: object },
): Promise<void> {
  await requests.command('/directory/tenant', { role: 'admin' }, { name: tenant.company });
  await requests.command('/directory/import', { role: 'hr' }, { rows: tenant.directory });
  await requests.command(
    '/workflows/sales-4232/versions',
    { role: 'process-owner' },
    { definition: tenant.workflow ?? sales4232Workflow },
  );
}

/** A cycle of version 1 of the `sales-4232` workflow, over org units or named subjects. */
export type CycleToOpen = { cycleId: string; year: number; name?: string } & (
  { orgUnitIds: string[] } | { subjects: { kind: 'employee'; employeeId: string; orgUnitId: string }[] }
);

/**
 * HR opens the cycle and the worker's cycle-opening process manager opens one appraisal per
 * subject: resolves with the cycle once its opening is done.
 */
export async function openCycle(requests: SetUpRequests, cycle: CycleToOpen): Promise<CycleRead> {
  const { cycleId, year, name, ...scope } = cycle;
  await requests.command(
    '/cycles',
    { role: 'hr' },
    {
      cycleId,
      name: name ?? `Sales ${year}`,
      year,
      workflowId: 'sales-4232',
      workflowVersion: 1,
      ...scope,
    },
  );
  return eventually(
    async () => {
      const read = await requests.get<CycleRead>(`/cycles/${cycleId}`, { role: 'hr' });
      return read.opening.done && read;
    },
    // An upper bound for a machine busy with other test runs, never a claim about speed.
    90_000,
    `the appraisals of ${cycleId} opened`,
  );
}
