import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import IORedis from 'ioredis';
import type { Config } from '@verity/platform';
import { startTestApi } from '../testing/api-test-kit';
import { workedActuals, workedAttachments } from '@verity/domain/testing/appraisal-scenario';
import { annsPlan, setUpTenant, type TenantFixture } from '../testing/tenant-fixture';

/**
 * What one HTTP command costs in round trips to PostgreSQL and Redis, from authentication to the
 * answer (ADR 0148). Counted, not timed: every statement pg's Client sends (the pool's `query`
 * goes through it too) and every command ioredis sends, while exactly one request is in flight.
 * The bounds are today's counts: a change that adds a round trip to the command path fails here
 * and has to say why (and raise the bound) in the same change.
 */
describe('round trips of one command', () => {
  let app: INestApplication;
  let config: Config;
  let t: TenantFixture;
  let ann: string;

  const sent = { statements: [] as string[], redis: [] as string[] };
  let counting = false;
  const query = Client.prototype.query;
  const sendCommand = IORedis.prototype.sendCommand;

  beforeAll(async () => {
    // The prototypes are patched for this file only (jest gives each file its own module registry).
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      if (counting) sent.statements.push(textOf(args[0]));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    IORedis.prototype.sendCommand = function (this: IORedis, ...args: unknown[]) {
      if (counting) sent.redis.push(String((args[0] as { name?: string } | undefined)?.name));
      return (sendCommand as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof IORedis.prototype.sendCommand;
    ({ app, config } = await startTestApi());
    t = await setUpTenant(app, config, 'trips');
    ann = await t.appraisalOf('e-ann');
  });
  afterAll(async () => {
    Client.prototype.query = query;
    IORedis.prototype.sendCommand = sendCommand;
    await app.close();
  });

  /** Sends one request and returns it with the statements and Redis commands it caused. */
  async function counted(
    who: keyof TenantFixture['headers'],
    command: string,
    body: object,
    extra: Record<string, string> = {},
  ) {
    sent.statements = [];
    sent.redis = [];
    counting = true;
    try {
      const response = await t
        .http()
        .post(`/appraisals/${ann}/${command}`)
        .set({ ...t.headers[who], ...extra })
        .send(body);
      if (response.status >= 300)
        throw new Error(`${command}: ${response.status} ${JSON.stringify(response.body)}`);
      return { response, statements: [...sent.statements], redis: [...sent.redis] };
    } finally {
      counting = false;
    }
  }

  const review = {
    periodId: '2025-01',
    actuals: workedActuals,
    attachments: workedAttachments,
    gapReasons: 'Slow uptake',
  };

  const catchUp = expect.stringMatching(/FROM streams s LEFT JOIN LATERAL/);
  const append = expect.stringMatching(/FROM append_to_streams/);

  it('submitting a plan: the append alone; no read, no Redis', async () => {
    // The first command on a stream folds it whole (and pins the workflow), and the first personal
    // data of a person since the API started reads their key: not what every request pays.
    await counted('mgr', 'annotations', { text: 'Kick-off' });
    const { statements, redis } = await counted('ann', 'submit-plan', annsPlan);
    // Decided on the fold the API kept, checked by the append's expected revision (ADR 0167). The
    // appraisee's own relation is `self`: no directory read. The plan's texts are personal data,
    // sealed with the appraisee's key (ADR 0115), kept since the first command (ADR 0171).
    // Authentication (a signed token) and the rate limit (per process, in memory) send nothing.
    expect({ statements, redis }).toEqual({ statements: [append], redis: [] });
  });

  it("the manager's approval catches up the directory for the relation, in one round trip", async () => {
    const { statements, redis } = await counted('mgr', 'approve-plan', {});
    expect({ statements, redis }).toEqual({ statements: [catchUp, append], redis: [] });
  });

  it('filing a monthly review with an Idempotency-Key: the key claimed, its answer recorded by the append', async () => {
    const key = { 'Idempotency-Key': 'trips-review-2025-01' };
    const first = await counted('ann', 'file-period-review', review, key);
    expect(first.redis).toEqual([]);
    // The answer is stored by the append's own transaction (ADR 0155): no statement of its own
    // after the append (5 statements before), no read before it (ADR 0167), and the appraisee's
    // key is kept (ADR 0171).
    expect(first.statements).toEqual([
      expect.stringMatching(/INSERT INTO idempotency_keys/),
      expect.stringMatching(/FROM append_to_stream_answering/),
    ]);
    // The retry is answered from the stored response, read by the statement that tried to claim
    // the key (ADR 0148): one round trip, nothing decided or appended.
    const retry = await counted('ann', 'file-period-review', review, key);
    expect(retry.response.headers['idempotent-replayed']).toBe('true');
    expect(retry.response.body).toEqual(first.response.body);
    expect(retry.statements).toEqual([expect.stringMatching(/INSERT INTO idempotency_keys/)]);
  });
});

function textOf(config: unknown): string {
  if (typeof config === 'string') return config;
  const text = (config as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : String(config);
}
