import type { Pool } from 'pg';
import { createPool } from '@verity/platform';
import { workerRuntimeDatabaseUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import { PiiKeyring } from './pii-keyring';
import { PiiKeyCache } from './pii-key-cache';

const MASTER = Buffer.alloc(32, 7);

/**
 * Kept data keys (docs/adr/0171): a process that keeps them reads a person's key once, and forgets
 * it on the notice of its destruction by any process, or keeps nothing while it cannot hear.
 */
describe('PiiKeyCache: live data keys kept while every destruction is heard', () => {
  let apiPool: Pool;
  let otherPool: Pool;
  let cache: PiiKeyCache;
  let kept: PiiKeyring;
  /** Another process: no cache, its own pool. */
  let other: PiiKeyring;
  let statements = 0;
  let tenant = 0;

  beforeEach(() => {
    // The runtime role, as the API connects: the triggers and LISTEN work for it, not only the owner.
    apiPool = createPool(workerRuntimeDatabaseUrl(), 3, 'pii-key-cache');
    const query = apiPool.query.bind(apiPool);
    apiPool.query = ((...args: Parameters<Pool['query']>) => {
      statements++;
      return (query as (...a: unknown[]) => unknown)(...args);
    }) as Pool['query'];
    otherPool = createPool(workerRuntimeDatabaseUrl(), 2, 'pii-key-cache-other');
    cache = new PiiKeyCache(apiPool);
    kept = new PiiKeyring(apiPool, MASTER, [], cache);
    other = new PiiKeyring(otherPool, MASTER);
    statements = 0;
  });
  afterEach(async () => {
    await kept.close();
    await Promise.all([apiPool.end(), otherPool.end()]);
  });

  const tenantId = () => `cache${++tenant}`;

  it('reads a person’s key once, and no other person’s key is given for theirs', async () => {
    const t = tenantId();
    const first = await kept.keyFor(t, 'e-ann');
    const readsAfterFirst = statements;
    const again = await kept.keyFor(t, 'e-ann');
    expect(statements).toBe(readsAfterFirst);
    expect(again).toEqual(first);
    // The same key as any other process reads from the table.
    expect((await other.keyFor(t, 'e-ann')).keyId).toBe(first.keyId);
    const bob = await kept.keyFor(t, 'e-bob');
    expect(bob.keyId).not.toBe(first.keyId);
    // Another tenant's person of the same id has a key of their own.
    expect((await kept.keyFor(tenantId(), 'e-ann')).keyId).not.toBe(first.keyId);
  });

  it('forgets a key another process destroyed, once told, and reads the new one', async () => {
    const t = tenantId();
    const before = await kept.keyFor(t, 'e-ann');
    await kept.keyFor(t, 'e-bob');
    const notices = cache.notices;
    expect(await other.shred(t, 'e-ann')).toBe(1);
    await eventually(() => cache.notices > notices, 30_000, 'the notice of the destroyed key');
    const after = await kept.keyFor(t, 'e-ann');
    expect(after.keyId).not.toBe(before.keyId);
    expect((await other.keyFor(t, 'e-ann')).keyId).toBe(after.keyId);
    // Only that person's key was dropped.
    const reads = statements;
    await kept.keyFor(t, 'e-bob');
    expect(statements).toBe(reads);
  });

  it('forgets at once a key it destroys itself', async () => {
    const t = tenantId();
    const before = await kept.keyFor(t, 'e-ann');
    await kept.shred(t, 'e-ann');
    expect((await kept.keyFor(t, 'e-ann')).keyId).not.toBe(before.keyId);
  });

  it('keeps nothing while its listener is lost, and keeps again once it listens again', async () => {
    const t = tenantId();
    await kept.keyFor(t, 'e-ann');
    const notices = cache.notices;
    // The listener's backend is ended (a restart, a network cut): notices could be missed from now on.
    await otherPool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'pii-key-cache' AND query LIKE 'LISTEN%'`,
    );
    await eventually(() => cache.notices > notices, 30_000, 'the loss of the listener');
    // Read from the table again (the first use listens again, then keeps the key read).
    const reads = statements;
    await kept.keyFor(t, 'e-ann');
    expect(statements).toBeGreaterThan(reads);
    const readsAfter = statements;
    await kept.keyFor(t, 'e-ann');
    expect(statements).toBe(readsAfter);
  });

  it('does not keep a key read before a notice that arrived during the read', async () => {
    const t = tenantId();
    await kept.keyFor(t, 'e-warm'); // listening
    const { generation } = await cache.lookup(t, 'e-ann');
    const read = await other.keyFor(t, 'e-ann');
    await other.shred(t, 'e-ann');
    await eventually(() => cache.notices > generation, 30_000, 'the notice of the destroyed key');
    cache.keep({ ...read, tenantId: t }, generation);
    expect((await cache.lookup(t, 'e-ann')).key).toBeUndefined();
  });
});
