import { Client, type Pool } from 'pg';
import type { SubjectKey } from './pii-keyring';

/** The channel every destroyed data key is told on (infra/migrations/1327): `<tenant>/<subject>`, or `*`. */
export const PII_KEY_DESTROYED_CHANNEL = 'verity_pii_key_destroyed';

/** Data keys kept in memory at most (the oldest kept is dropped first). */
const MAX_KEPT_KEYS = 10_000;
/** After a failed LISTEN, keys are read from the table for this long before listening is tried again. */
const LISTEN_RETRY_MS = 5_000;

/**
 * People's live data keys kept in memory, only while this process hears of every key destroyed
 * (docs/adr/0171): a connection of its own (the pool's settings, outside the pool, so that it never
 * takes a connection from the queries) LISTENs on the channel the `pii_keys` triggers tell at commit, and
 * each notice drops the person's key. Without that connection nothing is kept (and all is dropped
 * when it is lost), so a key destroyed by another process is never used past its notice.
 *
 * A key read from the table is kept only if no notice (nor the loss of the connection) came since
 * the read began: a notice that overtook the read would otherwise be undone by it.
 */
export class PiiKeyCache {
  private readonly keys = new Map<string, SubjectKey>();
  private listener: Client | undefined;
  private starting: Promise<void> | undefined;
  private retryAt = 0;
  private closed = false;
  /** Moves on with every notice and every loss of the listener. */
  private generation = 0;

  constructor(private readonly pool: Pool) {}

  /**
   * The person's kept key, if any, and the generation a key read now must be kept under. Starts
   * listening on first use (awaited, so the first key read is already covered by the notices).
   */
  async lookup(tenantId: string, subject: string): Promise<{ key?: SubjectKey; generation: number }> {
    if (!this.listener && !this.closed && Date.now() >= this.retryAt) await (this.starting ??= this.listen());
    return {
      key: this.listener ? this.keys.get(keyOf(tenantId, subject)) : undefined,
      generation: this.generation,
    };
  }

  /** Keeps a key read from the table, unless a notice or a lost listener came since `generation`. */
  keep(key: SubjectKey & { tenantId: string }, generation: number): void {
    if (!this.listener || generation !== this.generation) return;
    const id = keyOf(key.tenantId, key.subject);
    this.keys.delete(id);
    if (this.keys.size >= MAX_KEPT_KEYS) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(id, { keyId: key.keyId, key: key.key, subject: key.subject });
  }

  /** Drops the person's key (this process destroys it; the notice will say so too). */
  forget(tenantId: string, subject: string): void {
    this.generation++;
    this.keys.delete(keyOf(tenantId, subject));
  }

  /** Notices received and listeners lost so far (for tests that wait for a notice). */
  get notices(): number {
    return this.generation;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => undefined);
    const listener = this.listener;
    this.dropAll();
    if (!listener) return;
    listener.removeAllListeners('notification');
    await listener.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const connected = new Client(this.pool.options);
    try {
      connected.on('notification', ({ channel, payload }) => {
        if (channel !== PII_KEY_DESTROYED_CHANNEL) return;
        this.generation++;
        if (!payload || payload === '*') this.keys.clear();
        else this.keys.delete(payload);
      });
      const lost = () => {
        if (this.listener !== connected) return;
        // Notices may have been missed from here on: nothing kept is trusted any more.
        this.dropAll();
        void connected.end().catch(() => undefined);
      };
      connected.on('error', lost);
      connected.on('end', lost);
      await connected.connect();
      await connected.query(`LISTEN ${PII_KEY_DESTROYED_CHANNEL}`);
      if (this.closed) {
        await connected.end();
        return;
      }
      this.listener = connected;
    } catch {
      void connected.end().catch(() => undefined);
      this.retryAt = Date.now() + LISTEN_RETRY_MS;
    } finally {
      this.starting = undefined;
    }
  }

  private dropAll(): void {
    this.listener = undefined;
    this.generation++;
    this.keys.clear();
  }
}

// Tenant ids have no `/` (their alphabet is checked), so `<tenant>/<subject>` names one person.
const keyOf = (tenantId: string, subject: string) => `${tenantId}/${subject}`;
