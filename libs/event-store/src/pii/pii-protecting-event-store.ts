import type {
  AppendOptions,
  AppendOutcome,
  AppendRequest,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
} from '../event-store.port';
import { ERASED_PII, isSealedPii, openPii, sealPii, type SealedPii } from './pii-envelope';
import type { PiiKeyring, SubjectKey } from './pii-keyring';

/**
 * The event whose append destroys a person's keys. The store knows it by name because the key's
 * destruction and the record of it must go together, whichever writer appends it.
 */
export const ERASURE_EVENT = 'SubjectDataErased';

/** Whose key sealed each event this store opened (the envelope's subject, which reading drops). */
const openedSubjects = new WeakMap<RecordedEvent, string>();

/**
 * The person whose data key sealed an event's `pii`, for an event read through this store: a cache
 * of what was opened can then forget that person's data when it is erased (ADR 0115). Undefined
 * for an event without sealed `pii` (none, or plaintext stored before ADR 0115).
 */
export function piiSubjectOfOpened(event: RecordedEvent): string | undefined {
  return openedSubjects.get(event);
}

/**
 * The one place where personal data is encrypted and decrypted (docs/adr/0115-crypto-shredding.md).
 * Appends seal each event's `pii` with the data key of the person it is about (`metadata.piiSubject`,
 * set by the writer, else the actor), before the inner store hashes and stores it, so the hash chain
 * covers the ciphertext. Reads open it again; when the key is gone the event reads with
 * `pii: { erased: true }`. Who may see `pii` at all is decided downstream, as before.
 *
 * `stored` is the inner store: what is stored, byte for byte, for audit verification and exports.
 */
export class PiiProtectingEventStore implements EventStore {
  constructor(
    readonly stored: EventStore,
    private readonly keyring: PiiKeyring,
  ) {}

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    await this.shredErased(events);
    return this.stored.append(streamId, await this.seal(events), options);
  }

  async appendToStreams(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    await this.shredErased(requests.flatMap((request) => request.events));
    const sealed: AppendRequest[] = [];
    for (const request of requests) sealed.push({ ...request, events: await this.seal(request.events) });
    return this.stored.appendToStreams(sealed);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.open(await this.stored.readStream(streamId, options));
  }

  async readStreams(
    streamIds: string[],
    options?: ReadStreamsOptions,
  ): Promise<Map<string, RecordedEvent[]>> {
    const streams = await this.stored.readStreams(streamIds, options);
    const opened = await this.open([...streams.values()].flat());
    const byId = new Map(opened.map((event) => [event.eventId, event]));
    return new Map(
      [...streams].map(([id, events]) => [id, events.map((event) => byId.get(event.eventId) ?? event)]),
    );
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    const result = await this.stored.readAll(options);
    return { ...result, events: await this.open(result.events) };
  }

  headPosition(): Promise<string> {
    return this.stored.headPosition();
  }

  async close(): Promise<void> {
    await this.keyring.close();
    await this.stored.close();
  }

  /**
   * Destroyed before the event is appended: if the append then fails (a concurrent writer), the
   * erasure is retried and records it; the other order could record an erasure that never happened.
   */
  private async shredErased(events: NewEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== ERASURE_EVENT) continue;
      const subject = (event.data as { employeeId?: unknown }).employeeId;
      if (typeof subject !== 'string') throw new Error(`${ERASURE_EVENT} without an employeeId`);
      await this.keyring.shred(event.metadata.tenantId, subject);
    }
  }

  private async seal(events: NewEvent[]): Promise<NewEvent[]> {
    const keys = new Map<string, SubjectKey>();
    const sealed: NewEvent[] = [];
    for (const event of events) {
      const { piiSubject, ...metadata } = event.metadata;
      const data = event.data as Record<string, unknown> | null;
      if (!data || typeof data !== 'object' || data.pii === undefined || isSealedPii(data.pii)) {
        sealed.push(piiSubject === undefined ? event : { ...event, metadata });
        continue;
      }
      const subject = typeof piiSubject === 'string' && piiSubject ? piiSubject : event.metadata.actor.id;
      const cacheKey = `${metadata.tenantId}/${subject}`;
      let key = keys.get(cacheKey);
      if (!key) {
        key = await this.keyring.keyFor(metadata.tenantId, subject);
        keys.set(cacheKey, key);
      }
      sealed.push({ ...event, metadata, data: { ...data, pii: sealPii(data.pii, key, event.eventId) } });
    }
    return sealed;
  }

  private async open(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const sealedIn = (event: RecordedEvent): SealedPii | null => {
      const pii = (event.data as { pii?: unknown } | null)?.pii;
      return isSealedPii(pii) ? pii : null;
    };
    const wanted = events.flatMap((event) => {
      const sealed = sealedIn(event);
      return sealed ? [{ tenantId: event.metadata.tenantId, keyId: sealed.keyId }] : [];
    });
    if (wanted.length === 0) return events;
    const keys = await this.keyring.keysById(wanted);
    return events.map((event) => {
      const sealed = sealedIn(event);
      if (!sealed) return event;
      const key = keys.get(`${event.metadata.tenantId}/${sealed.keyId}`);
      const pii = key ? openPii(sealed, key, event.eventId) : ERASED_PII;
      const opened = { ...event, data: { ...(event.data as Record<string, unknown>), pii } };
      openedSubjects.set(opened, sealed.subject);
      return opened;
    });
  }
}

/** What is stored, byte for byte (ciphertext included): for hash verification and audit exports. */
export function storedEventsOf(store: EventStore): EventStore {
  return store instanceof PiiProtectingEventStore ? store.stored : store;
}
