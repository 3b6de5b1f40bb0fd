import { Client } from 'pg';
import { workerDatabaseUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import { PostgresEventStore } from './postgres-event-store';
import { WrongExpectedRevision } from '../errors';
import { freshStream, newEvent } from '../testing/contract-fixtures';
import type { IdempotentAnswer } from '../event-store.port';

/**
 * An append that carries the answer to an `Idempotency-Key` request (docs/adr/0155): the events
 * and the answer are committed by one transaction, so no failure between the two writes can leave
 * events without their answer (a retry would decide again) or an answer without its events.
 */
describe('PostgreSQL adapter: the idempotent answer is recorded with the events', () => {
  const db = storeOfThisFile('append-answering', 4);
  let keys = 0;

  /** An open claim, as the API's interceptor makes it before the command runs. */
  async function claimed(): Promise<Omit<IdempotentAnswer, 'revision'>> {
    const key = `key-${++keys}`;
    await db.pool.query(
      `INSERT INTO idempotency_keys (tenant_id, principal, idempotency_key, request_hash, method, path)
       VALUES ('tenant-a', 'jwt:ann', $1, 'hash', 'POST', '/x')`,
      [key],
    );
    return { tenantId: 'tenant-a', principal: 'jwt:ann', key, status: 201, body: { ok: key }, etag: '"1"' };
  }

  async function recordOf(key: string) {
    const { rows } = await db.pool.query(
      'SELECT status, response_body, etag, completed_at IS NOT NULL AS completed FROM idempotency_keys WHERE idempotency_key = $1',
      [key],
    );
    return rows[0] as {
      status: number | null;
      response_body: unknown;
      etag: string | null;
      completed: boolean;
    };
  }

  const eventsOf = async (streamId: string) =>
    (await db.pool.query('SELECT event_id FROM events WHERE stream_id = $1', [streamId])).rowCount;

  it('appended at the answered revision: events and answer committed together', async () => {
    const streamId = freshStream();
    const answer = { ...(await claimed()), revision: 1n };
    const result = await db.store.append(streamId, [newEvent(), newEvent()], {
      expectedRevision: 'no_stream',
      idempotentAnswer: answer,
    });
    expect(result).toMatchObject({ nextRevision: 1n, answerRecorded: true });
    expect(await eventsOf(streamId)).toBe(2);
    expect(await recordOf(answer.key)).toEqual({
      status: 201,
      response_body: { ok: answer.key },
      etag: '"1"',
      completed: true,
    });
  });

  it('the answer cannot be stored: the events are not either (the crash window between the two writes)', async () => {
    // A failure at the last moment of the transaction, after the events were inserted: the record
    // refused by a trigger stands for anything that stops the second write (a crash, a lost connection).
    await db.pool.query(`CREATE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the answer could not be stored'; END $$`);
    await db.pool.query(
      'CREATE TRIGGER refuse_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION refuse_answer()',
    );
    const streamId = freshStream();
    const answer = { ...(await claimed()), revision: 0n };
    try {
      await expect(
        db.store.append(streamId, [newEvent()], { expectedRevision: 'no_stream', idempotentAnswer: answer }),
      ).rejects.toThrow('the answer could not be stored');
    } finally {
      await db.pool.query('DROP TRIGGER refuse_answer ON idempotency_keys; DROP FUNCTION refuse_answer()');
    }
    expect(await eventsOf(streamId)).toBe(0);
    expect((await recordOf(answer.key)).completed).toBe(false);
    // The client's retry then runs the command for the first time, and both are stored.
    const retried = await db.store.append(streamId, [newEvent()], {
      expectedRevision: 'no_stream',
      idempotentAnswer: answer,
    });
    expect(retried.answerRecorded).toBe(true);
    expect(await eventsOf(streamId)).toBe(1);
    expect((await recordOf(answer.key)).completed).toBe(true);
  });

  it('a writer that dies before its COMMIT leaves neither the events nor the answer', async () => {
    const streamId = freshStream();
    const answer = { ...(await claimed()), revision: 0n };
    const client = new Client({ connectionString: workerDatabaseUrl() });
    await client.connect();
    client.on('error', () => undefined);
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    await client.query('BEGIN');
    const result = await new PostgresEventStore(client as never).append(streamId, [newEvent()], {
      expectedRevision: 'no_stream',
      idempotentAnswer: answer,
    });
    expect(result.answerRecorded).toBe(true);
    // The process is gone: its connection closes with the transaction open, and the server rolls it back.
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await client.end().catch(() => undefined);
    // Uncommitted rows are invisible anyway: wait until the server has ended that session (and
    // rolled its transaction back), then nothing of it may be there.
    await eventually(
      async () =>
        (await db.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0,
      30_000,
      'the dead writer’s session ended',
    );
    const events = await eventsOf(streamId);
    expect(events).toBe(0);
    expect((await recordOf(answer.key)).completed).toBe(false);
  });

  it('a refused append leaves the claim open, for the failure the API answers', async () => {
    const streamId = freshStream();
    await db.store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
    const answer = { ...(await claimed()), revision: 0n };
    await expect(
      db.store.append(streamId, [newEvent()], { expectedRevision: 'no_stream', idempotentAnswer: answer }),
    ).rejects.toBeInstanceOf(WrongExpectedRevision);
    expect((await recordOf(answer.key)).completed).toBe(false);
  });

  it('a repeat of stored events, or a claim no longer open, records nothing: the caller does', async () => {
    const streamId = freshStream();
    const events = [newEvent()];
    const first = { ...(await claimed()), revision: 0n };
    await db.store.append(streamId, events, { expectedRevision: 'no_stream', idempotentAnswer: first });
    const again = { ...(await claimed()), revision: 0n };
    const repeat = await db.store.append(streamId, events, {
      expectedRevision: 'no_stream',
      idempotentAnswer: again,
    });
    expect(repeat).toMatchObject({ nextRevision: 0n, answerRecorded: false });
    expect((await recordOf(again.key)).completed).toBe(false);

    const gone = { ...first, key: 'never-claimed', revision: 1n };
    const appended = await db.store.append(streamId, [newEvent()], {
      expectedRevision: 0n,
      idempotentAnswer: gone,
    });
    expect(appended).toMatchObject({ nextRevision: 1n, answerRecorded: false });
  });

  it('an answer naming another revision than the append ends at is not recorded', async () => {
    const streamId = freshStream();
    const answer = { ...(await claimed()), revision: 5n };
    const result = await db.store.append(streamId, [newEvent()], {
      expectedRevision: 'any',
      idempotentAnswer: answer,
    });
    expect(result).toMatchObject({ nextRevision: 0n, answerRecorded: false });
    expect((await recordOf(answer.key)).completed).toBe(false);
  });
});
