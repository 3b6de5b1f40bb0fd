import { randomUUID } from 'node:crypto';
import { TestApiClient, type Caller } from '../support/api-client';
import { hire, unit } from '../support/directory-rows';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { setUpTenant } from '../support/tenant-setup';

/**
 * A cycle of 42 subjects opens exactly 42 appraisals even when the worker process is killed
 * (SIGKILL, no shutdown of any kind) while it opens them, and another worker process carries on
 * from where the killed one's checkpoint stood (issue "The process drives itself"; ADR 0128's
 * deterministic command ids make a re-sent opening a no-op). The kill lands mid-way by watching
 * the cycle's own progress; should a fast machine finish an opening between two looks, the test
 * opens another cycle and tries again, and says so.
 */
const TENANT = `opening-${randomUUID().slice(0, 8)}`;
const SUBJECTS = 42;
const ATTEMPTS = 5;

type Cycle = {
  opening: { opened: number; of: number; done: boolean; progress: string };
  appraisalIds: string[];
};
type Trail = { items: { type: string }[] };

describe("a cycle's opening survives its worker being killed mid-way", () => {
  let stack: Stack;
  let client: TestApiClient;
  const hr: Caller = { role: 'hr' };

  beforeAll(async () => {
    stack = await startStack();
    client = new TestApiClient(stack.base, TENANT, () => stack.api.output().slice(-3000));
    // The head sits in hq, so the 42 people of sales are the cycle's subjects.
    const people = Array.from({ length: SUBJECTS }, (_, i) => hire(`e-${i + 1}`, 'sales', 'e-head'));
    await setUpTenant(client, {
      company: 'Opening Co',
      directory: [
        unit('hq', null, 'hq'),
        unit('sales', 'hq', 'department'),
        hire('e-head', 'hq', null),
        ...people,
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('opens exactly 42 appraisals, one AppraisalOpened each, after a SIGKILL mid-opening', async () => {
    let killedAt: Cycle['opening'] | null = null;
    let cycleId = '';
    for (let attempt = 1; attempt <= ATTEMPTS && !killedAt; attempt++) {
      cycleId = `c2026-${attempt}`;
      await client.command('/cycles', hr, {
        cycleId,
        name: `Sales 2026 (${attempt})`,
        year: 2026,
        workflowId: 'sales-4232',
        workflowVersion: 1,
        orgUnitIds: ['sales'],
      });
      // Watch the opening as closely as the API answers, and kill the worker once it has begun.
      const seen = await eventually(
        async () => {
          const { opening } = await client.get<Cycle>(`/cycles/${cycleId}`, hr);
          return opening.opened > 0 && opening;
        },
        120_000,
        `the opening of ${cycleId} begun`,
      );
      expect(await stack.stopWorker('SIGKILL')).toBeNull();
      const after = (await client.get<Cycle>(`/cycles/${cycleId}`, hr)).opening;
      if (!after.done) killedAt = after;
      else
        console.log(
          `attempt ${attempt}: ${cycleId} finished opening (${seen.progress}) before the kill landed; again`,
        );
      await stack.startWorker();
    }
    expect(killedAt).not.toBeNull();
    console.log(`worker killed at "${killedAt!.progress}" of ${cycleId}`);
    expect(killedAt!.opened).toBeLessThan(SUBJECTS);

    // The new worker process carries on from the killed one's checkpoint.
    const cycle = await eventually(
      async () => {
        const read = await client.get<Cycle>(`/cycles/${cycleId}`, hr);
        return read.opening.done && read;
      },
      120_000,
      `${cycleId} opened after the restart`,
    );
    expect(cycle.opening).toMatchObject({ opened: SUBJECTS, of: SUBJECTS, done: true });
    expect(new Set(cycle.appraisalIds).size).toBe(SUBJECTS);
    for (const appraisalId of cycle.appraisalIds) {
      const { items } = await client.get<Trail>(`/appraisals/${appraisalId}/events?limit=500`, hr);
      expect(items.filter((event) => event.type === 'AppraisalOpened')).toHaveLength(1);
    }
  }, 900_000);
});
