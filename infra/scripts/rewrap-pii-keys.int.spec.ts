import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  createEventStore,
  PiiKeyring,
  rewrapPiiKeys,
  wrapKey,
  type EventStore,
  type NewEvent,
} from '@verity/event-store';
import { createPool } from '@verity/platform';
import { workerDatabaseUrl } from '../../test/support/environment';
import { rewrapAllPiiKeys } from './rewrap-pii-keys';

const key = () => randomBytes(32).toString('base64');
const OLD = key();
const NEW = key();
const tenantA = `rot-a-${randomUUID().slice(0, 8)}`;
const tenantB = `rot-b-${randomUUID().slice(0, 8)}`;

/** A week's summary, about `subject`, whose words are personal data. */
const summary = (tenantId: string, subject: string, text: string): NewEvent => ({
  eventId: randomUUID(),
  type: 'WeekSummarized',
  data: {
    planId: `${subject}.2026-W10`,
    results: [],
    pii: { summary: text },
    at: '2026-03-06T17:00:00.000Z',
  },
  metadata: {
    tenantId,
    actor: { id: subject, role: 'employee' },
    correlationId: randomUUID(),
    causationId: null,
    schemaVersion: 1,
    piiSubject: subject,
  },
});

/**
 * Master-key rotation (ADR 0100) on real PostgreSQL: data keys wrapped by the old master key are
 * wrapped anew under the new one, the events stay byte for byte what they were, and afterwards the
 * new key alone reads every person's words (the old one alone reads none); an erased person stays
 * erased; a key that opens under no key given is named and left alone; a second run changes nothing.
 */
describe('pii:rewrap-keys, the master-key rotation', () => {
  let pool: Pool;
  const storeWith = (master: string, retired: string[] = []): EventStore =>
    createEventStore({ kind: 'postgres', pool, piiMasterKey: master, piiRetiredMasterKeys: retired });
  const streams = {
    ann: `weekly-plan-${tenantA}.ann.2026-W10`,
    bob: `weekly-plan-${tenantA}.bob.2026-W10`,
    cai: `weekly-plan-${tenantB}.cai.2026-W10`,
    dan: `weekly-plan-${tenantB}.dan.2026-W10`,
  };
  const words = async (store: EventStore, streamId: string) =>
    (await store.readStream(streamId)).map((event) => (event.data as { pii: unknown }).pii);
  const storedEvents = async () =>
    (
      await pool.query(
        `SELECT event_id::text, data::text, metadata::text FROM events WHERE tenant_id = ANY($1) ORDER BY event_id`,
        [[tenantA, tenantB]],
      )
    ).rows;
  const wrappedKeys = async () =>
    (
      await pool.query<{ key_id: string; wrapped_key: Buffer }>(
        'SELECT key_id::text, wrapped_key FROM pii_keys WHERE tenant_id = ANY($1) ORDER BY key_id',
        [[tenantA, tenantB]],
      )
    ).rows;

  beforeAll(async () => {
    pool = createPool(workerDatabaseUrl(), 4, 'pii-rotation-test');
    const old = storeWith(OLD);
    for (const [name, tenantId] of [
      ['ann', tenantA],
      ['bob', tenantA],
      ['cai', tenantB],
    ] as const)
      await old.append(streams[name], [summary(tenantId, name, `${name}'s week`)], {
        expectedRevision: 'no_stream',
      });
    // Bob is erased before the rotation: his key is gone, and no rotation brings it back.
    await new PiiKeyring(pool, OLD).shred(tenantA, 'bob');
  });
  afterAll(() => pool.end());

  it('before the rewrap the new key alone reads nothing; with the old one retired it reads both, and writes under the new', async () => {
    await expect(words(storeWith(NEW), streams.ann)).rejects.toThrow();
    const switched = storeWith(NEW, [OLD]);
    expect(await words(switched, streams.ann)).toEqual([{ summary: "ann's week" }]);
    // Dan's key is created after the switch: wrapped under the new key from the start.
    await switched.append(streams.dan, [summary(tenantB, 'dan', "dan's week")], {
      expectedRevision: 'no_stream',
    });
    expect(await words(storeWith(NEW), streams.dan)).toEqual([{ summary: "dan's week" }]);
  });

  it('rewraps every data key under the new master key without touching an event; the old key is no longer needed', async () => {
    const eventsBefore = await storedEvents();
    const keysBefore = await wrappedKeys();
    const batches: number[] = [];
    const report = await rewrapPiiKeys(
      pool,
      { current: NEW, retired: [OLD] },
      { batchSize: 1, onBatch: (progress) => batches.push(progress.scanned) },
    );
    // Ann's and Cai's keys rewrapped, Dan's already under the new key, Bob's gone (the file's own database).
    expect(report).toEqual({ scanned: 3, rewrapped: 2, alreadyCurrent: 1, unreadable: [] });
    expect(batches.length).toBe(report.scanned);

    expect(await storedEvents()).toEqual(eventsBefore);
    const keysAfter = await wrappedKeys();
    expect(keysAfter.map((row) => row.key_id)).toEqual(keysBefore.map((row) => row.key_id));
    const changed = keysAfter.filter((row, i) => !row.wrapped_key.equals(keysBefore[i].wrapped_key)).length;
    expect(changed).toBe(2);

    const fresh = storeWith(NEW);
    expect(await words(fresh, streams.ann)).toEqual([{ summary: "ann's week" }]);
    expect(await words(fresh, streams.cai)).toEqual([{ summary: "cai's week" }]);
    expect(await words(fresh, streams.dan)).toEqual([{ summary: "dan's week" }]);
    expect(await words(fresh, streams.bob)).toEqual([{ erased: true }]);
    await expect(words(storeWith(OLD), streams.ann)).rejects.toThrow();
  });

  it('a second run (the script) changes nothing; a key under no key given is named and left as it is', async () => {
    const stray = randomUUID();
    const strayWrapped = wrapKey(randomBytes(32), Buffer.from(key(), 'base64'), `${tenantB}/${stray}/eve`);
    await pool.query(
      'INSERT INTO pii_keys (tenant_id, key_id, subject_id, wrapped_key) VALUES ($1, $2, $3, $4)',
      [tenantB, stray, 'eve', strayWrapped],
    );
    const keysBefore = await wrappedKeys();
    const report = await rewrapAllPiiKeys({
      DATABASE_URL: workerDatabaseUrl(),
      PII_MASTER_KEY: NEW,
      PII_RETIRED_MASTER_KEYS: [OLD],
    });
    expect(report).toEqual({
      scanned: 4,
      rewrapped: 0,
      alreadyCurrent: 3,
      unreadable: [{ tenantId: tenantB, keyId: stray }],
    });
    expect(await wrappedKeys()).toEqual(keysBefore);
  });
});
