import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Pool } from 'pg';
import { register } from 'prom-client';
import { PostgresEventStore, readConsumerLag } from '@verity/event-store';
import { PG_POOL, PlatformModule, loadConfig } from '@verity/platform';
import { readAppraisalScore, listAudit, listInbox } from '@verity/projections';
import { appraisalHistory, seededPick } from '@verity/projections/testing/appraisal-histories';
import { appendHistories } from '@verity/projections/testing/read-model-rows';
import { callerWithoutRelations } from '@verity/projections/testing/inbox-callers';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import { ProjectionsModule, ProjectionsService } from './projections.module';

const config = loadConfig({
  DATABASE_URL: workerDatabaseUrl(),
  REDIS_URL: workerRedisUrl(),
  LOG_LEVEL: 'silent',
  WORKER_METRICS_PORT: '0',
});

@Module({ imports: [PlatformModule.forRoot(config, 'verity-worker-test'), ProjectionsModule] })
class ProjectionsTestModule {}

describe('worker projections', () => {
  let app: INestApplicationContext;
  let pool: Pool;

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(ProjectionsTestModule, { logger: false });
    await app.init();
    pool = app.get<Pool>(PG_POOL);
  });
  afterAll(() => app?.close());

  it('runs audit, score and inbox, each caught up, with their lag on /metrics', async () => {
    const history = appraisalHistory({
      appraisalId: 'w-1',
      employeeId: 'ann',
      orgUnitId: 'east',
      pick: seededPick(3),
    });
    await appendHistories(new PostgresEventStore(pool), 'wt', [{ appraisalId: 'w-1', history }]);
    await eventually(
      async () => {
        const lag = await readConsumerLag(pool, ['audit', 'score', 'inbox']);
        return lag.length === 3 && lag.every((row) => row.events === 0);
      },
      30_000,
      'the three read models caught up',
    );
    expect(
      app
        .get(ProjectionsService)
        .status()
        .map((s) => [s.name, s.active]),
    ).toEqual([
      ['audit', true],
      ['score', true],
      ['inbox', true],
    ]);
    expect(await listAudit(pool, 'wt', { seesAnonymousRaters: true }, { limit: 1000 })).toHaveLength(
      history.length + 1,
    );
    expect(await readAppraisalScore(pool, 'wt', 'w-1')).toMatchObject({
      appraisalId: 'w-1',
      orgUnitId: 'east',
    });
    const inbox = await listInbox(pool, 'wt', callerWithoutRelations('ann'), new Date());
    expect(inbox.every((item) => item.appraisalId === 'w-1')).toBe(true);
    const metrics = await register.metrics();
    for (const consumer of ['audit', 'score', 'inbox']) {
      expect(metrics).toContain(`verity_consumer_lag_events{consumer="${consumer}"} 0`);
      expect(metrics).toContain(`verity_consumer_lag_seconds{consumer="${consumer}"} 0`);
      expect(metrics).toContain(`verity_consumer_parked_streams{consumer="${consumer}"} 0`);
    }
  });

  it('exports the streams a consumer has parked (docs/adr/0071)', async () => {
    const consumer = `parked-metric-${process.pid}`;
    await pool.query(
      `INSERT INTO consumer_parked_streams (consumer, stream_id, tenant_id, event_id, event_type, error, next_attempt_at)
       SELECT $1, 'appraisal-pm.' || n, 'pm', gen_random_uuid(), 'PeriodScored', 'boom', now() FROM generate_series(1, 2) AS n`,
      [consumer],
    );
    const metrics = await register.metrics();
    await pool.query('DELETE FROM consumer_parked_streams WHERE consumer = $1', [consumer]);
    expect(metrics).toContain(`verity_consumer_parked_streams{consumer="${consumer}"} 2`);
  });

  it('shows a consumer that is behind: its events and the age of the oldest', async () => {
    // A checkpoint at zero that no runner serves: everything committed is its lag.
    await pool.query(
      "INSERT INTO consumer_checkpoints (name, position) VALUES ('idle', '0') ON CONFLICT DO NOTHING",
    );
    const total = Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
    const metrics = await register.metrics();
    await pool.query("DELETE FROM consumer_checkpoints WHERE name = 'idle'");
    expect(metrics).toContain(`verity_consumer_lag_events{consumer="idle"} ${total}`);
    const seconds = Number(/verity_consumer_lag_seconds\{consumer="idle"\} ([\d.e+-]+)/.exec(metrics)?.[1]);
    expect(seconds).toBeGreaterThan(0);
  });
});
