import type { TestApiClient } from './api-client';
import { hire, unit } from './directory-rows';
import { openCycle, setUpTenant } from './tenant-setup';

/** An appraisal event as the plan-step tests read it (ADRs 0145, 0160). */
export type StepOutcome = { type: string; data: { stepKey?: string; level?: number; to?: string } };
export type InboxItems = { items: { appraisalId: string; stepKey: string; escalationLevel: number }[] };

/**
 * The line of the plan-step tests: Ann (sales) reports to Mia, who reports to Boss (both hq), under
 * `workflow`; a cycle of `year` over sales opened, its one appraisal (Ann's) returned.
 */
export async function annUnderMia(
  client: TestApiClient,
  options: { company: string; workflow: object; year: number },
): Promise<{ cycleId: string; appraisalId: string }> {
  await setUpTenant(client, {
    company: options.company,
    directory: [
      unit('hq', null, 'hq', 'HQ'),
      unit('sales', 'hq', 'department', 'Sales'),
      hire('e-boss', 'hq', null),
      hire('e-mia', 'hq', 'e-boss'),
      hire('e-ann', 'sales', 'e-mia'),
    ],
    workflow: options.workflow,
  });
  const cycleId = `c${options.year}`;
  const cycle = await openCycle(client, { cycleId, year: options.year, orgUnitIds: ['sales'] });
  return { cycleId, appraisalId: cycle.opened.appraisals[0].appraisalId };
}

/** Every event of an appraisal, as HR reads them, 500 a page (a year's weekly steps alone are more than fifty). */
export async function appraisalEvents(client: TestApiClient, appraisalId: string): Promise<StepOutcome[]> {
  type Page = { items: (StepOutcome & { revision: string })[] };
  const all: StepOutcome[] = [];
  for (let from = 0; ;) {
    const page = await client.get<Page>(`/appraisals/${appraisalId}/events?limit=500&fromRevision=${from}`, {
      role: 'hr',
    });
    all.push(...page.items);
    if (page.items.length < 500) return all;
    from = Number(page.items[page.items.length - 1].revision) + 1;
  }
}
