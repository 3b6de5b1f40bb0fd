import type { Pool, PoolClient } from 'pg';
import { AGGREGATES } from '@verity/domain';
import { streamName, type EventStore, type RecordedEvent } from '@verity/event-store';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import {
  eastDirectory,
  newTenant,
  openAppraisal,
  publishWorkflow,
  tenantEvents,
  workflowWithPlan,
} from '../timers/testing/timer-fixtures';
import { DirectoryHistory } from './directory-history';
import { timerNotificationsProjection } from './timer-notifications.projection';

const NOW = '2026-03-02T09:00:00.000Z';

/** The store, counting the reads of appraisal streams it is asked for. */
function countingAppraisalReads(store: EventStore, tenantId: string) {
  const appraisal = streamName(AGGREGATES.appraisal, tenantId, '');
  const reads = { one: 0, many: 0 };
  const counting: EventStore = Object.create(store);
  counting.readStream = (streamId, options) => {
    if (streamId.startsWith(appraisal)) reads.one += 1;
    return store.readStream(streamId, options);
  };
  counting.readStreams = (streamIds, options) => {
    if (streamIds.some((streamId) => streamId.startsWith(appraisal))) reads.many += 1;
    return store.readStreams(streamIds, options);
  };
  return { counting, reads };
}

/** What each person is told, without the ids derived from event ids. */
async function toldIn(tx: PoolClient, tenantId: string) {
  const { rows } = await tx.query(
    `SELECT appraisal_id, step_key, recipient_employee_id, reason, template, params, title_en, title_zh
       FROM notifications WHERE tenant_id = $1 ORDER BY appraisal_id, recipient_employee_id`,
    [tenantId],
  );
  return rows;
}

/** Handles the events in one transaction that is rolled back, and returns what was told. */
async function handledThenRolledBack(
  pool: Pool,
  store: EventStore,
  tenantId: string,
  batches: RecordedEvent[][],
) {
  const projection = timerNotificationsProjection({ store, directories: new DirectoryHistory(store) });
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    for (const batch of batches) await projection.handle(batch, tx);
    return await toldIn(tx, tenantId);
  } finally {
    await tx.query('ROLLBACK');
    tx.release();
  }
}

describe('timer notifications of a batch', () => {
  const file = storeOfThisFile('timer-notifications-test', 4);

  it("reads the openings of a batch's appraisals in one round trip, and tells each person as when read one by one", async () => {
    const { pool, store } = file;
    const tenantId = newTenant('notify-batch');
    const workflow = await publishWorkflow(store, tenantId, 'sales', workflowWithPlan({ days: 14 }));
    const people: [string, string | null, string][] = [
      ['bo', null, 'Bo Li'],
      ['mia', 'bo', 'Mia Wang'],
      ['max', 'bo', 'Max Zhou'],
      ['ann', 'mia', 'Ann Liu'],
    ];
    await eastDirectory(store, tenantId, people);
    for (const [employeeId] of people)
      await openAppraisal(store, tenantId, `ap-${employeeId}`, workflow, NOW, employeeId);
    const projection = timerNotificationsProjection({ store, directories: new DirectoryHistory(store) });
    const events = await tenantEvents(store, tenantId, projection.eventTypes!);
    expect(events.filter((event) => event.type === 'StepOpened')).toHaveLength(4);

    const batched = countingAppraisalReads(store, tenantId);
    const together = await handledThenRolledBack(pool, batched.counting, tenantId, [events]);
    expect(batched.reads).toEqual({ one: 0, many: 1 });

    const single = countingAppraisalReads(store, tenantId);
    const oneByOne = await handledThenRolledBack(
      pool,
      single.counting,
      tenantId,
      events.map((event) => [event]),
    );
    expect(single.reads).toEqual({ one: 4, many: 0 });

    expect(together).toHaveLength(4);
    expect(together.map((row) => row.recipient_employee_id)).toEqual(['ann', 'bo', 'max', 'mia']);
    expect(together).toEqual(oneByOne);
  });
});
