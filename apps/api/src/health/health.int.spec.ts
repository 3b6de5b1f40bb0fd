import request from 'supertest';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';
import { eventually } from '../../../../test/support/eventually';
import { startTestApi } from '../testing/api-test-kit';

describe('GET /health', () => {
  let app: INestApplication;

  afterEach(async () => {
    await app?.close();
  });

  it('reports PostgreSQL and Redis up', async () => {
    ({ app } = await startTestApi());
    // A check that gets no answer within its 2 s says "down"; on a loaded machine the first
    // connections can take that long, so the test asks until it is answered in time.
    const response = await eventually(
      async () => {
        const answer = await request(app.getHttpServer()).get('/health');
        return answer.status === 200 && answer;
      },
      60_000,
      'a healthy answer',
    );
    expect(response.body.status).toBe('ok');
    expect(response.body.info.postgres.status).toBe('up');
    expect(response.body.info.redis.status).toBe('up');
  });

  it("reports each consumer's lag in events and seconds", async () => {
    ({ app } = await startTestApi());
    const pool = app.get<Pool>(PG_POOL);
    // A consumer at position zero with events committed after it: all of them are its lag.
    const store = new PostgresEventStore(pool);
    await store.append(
      `health-probe-${process.pid}`,
      [
        {
          eventId: randomUUID(),
          type: 'Probed',
          data: {},
          metadata: {
            tenantId: 'h',
            actor: { id: 'u', role: 'hr' },
            correlationId: 'c',
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'any' },
    );
    await pool.query(
      "INSERT INTO consumer_checkpoints (name, position) VALUES ('health-lag', '0') ON CONFLICT DO NOTHING",
    );
    try {
      const total = Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      const lag = response.body.info.projections.consumers['health-lag'];
      expect(lag.events).toBe(total);
      expect(lag.seconds).toBeGreaterThanOrEqual(0);
      expect(lag.position).toBe('0');
    } finally {
      await pool.query("DELETE FROM consumer_checkpoints WHERE name = 'health-lag'");
    }
  });

  it('counts the streams each consumer has parked and shows the oldest with its error, no stream names', async () => {
    ({ app } = await startTestApi());
    const pool = app.get<Pool>(PG_POOL);
    const consumer = `health-parked-${process.pid}`;
    const eventId = randomUUID();
    await pool.query(
      "INSERT INTO consumer_checkpoints (name, position) VALUES ($1, '0') ON CONFLICT DO NOTHING",
      [consumer],
    );
    await pool.query(
      `INSERT INTO consumer_parked_streams (consumer, stream_id, tenant_id, event_id, event_type, error, next_attempt_at)
       VALUES ($1, 'appraisal-hp.secret-1', 'hp', $2, 'PeriodScored', 'error: value overflows numeric format', now())`,
      [consumer, eventId],
    );
    try {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      const projections = response.body.info.projections;
      expect(projections.consumers[consumer].parked).toBe(1);
      expect(projections.parkedEvents).toContainEqual(
        expect.objectContaining({
          consumer,
          eventId,
          eventType: 'PeriodScored',
          error: 'error: value overflows numeric format',
          attempts: 1,
        }),
      );
      expect(JSON.stringify(response.body)).not.toContain('appraisal-hp.secret-1');
    } finally {
      await pool.query('DELETE FROM consumer_parked_streams WHERE consumer = $1', [consumer]);
      await pool.query('DELETE FROM consumer_checkpoints WHERE name = $1', [consumer]);
    }
  });

  it('answers 503 naming PostgreSQL when it does not answer', async () => {
    ({ app } = await startTestApi(undefined, {
      DATABASE_URL: 'postgres://verity:verity@127.0.0.1:1/verity',
    }));
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body.error.postgres.status).toBe('down');
    expect(response.body.info.redis.status).toBe('up');
  });

  it('serves the OpenAPI document', async () => {
    ({ app } = await startTestApi());
    const response = await request(app.getHttpServer()).get('/openapi.json').expect(200);
    expect(response.body.info.title).toBe('Verity API');
    await request(app.getHttpServer()).get('/docs').expect(200);
  });
});
