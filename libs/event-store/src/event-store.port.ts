import { checkTenantId } from './tenant-id';

/**
 * The event store: the only source of truth. Two adapters implement this port (PostgreSQL, the
 * default, and KurrentDB); one contract suite tests both.
 */

/** `bigint`: the stream's current revision must be exactly this (revisions start at 0). */
export type ExpectedRevision = bigint | 'no_stream' | 'stream_exists' | 'any';

/** Who caused an event, and in which role. Never personal data: ids and role names only. */
export interface Actor {
  id: string;
  role: string;
}

/** What every event carries beside its data. */
export interface EventMetadata {
  tenantId: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  schemaVersion: number;
  /** Set by the store on append: the previous event's hash in this stream, and this event's own. */
  previousHash?: string | null;
  hash?: string;
  /** Set by the store: 2 when `hash` covers the recorded time too (absent: version 1, see hash-chain.ts). */
  hashVersion?: number;
  /** Anything else an adapter or a caller records (e.g. the rule version). */
  [key: string]: unknown;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** A uuid. Re-appending the same id to the same stream is a no-op that returns the first result. */
  eventId: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  streamId: string;
  streamRevision: bigint;
  /** Opaque global position, comparable only through the store (`readAll({ after })`). */
  position: string;
  recordedAt: Date;
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
  /**
   * The answer to an `Idempotency-Key` request whose claim is open, recorded in the append's own
   * transaction when the events are appended at `answer.revision` (docs/adr/0155): the events and
   * their answer are committed together or not at all. A store that cannot (KurrentDB) ignores it
   * and says `answerRecorded: false`; so does any store for a repeat or a claim no longer open.
   */
  idempotentAnswer?: IdempotentAnswer;
}

/** What an `Idempotency-Key` request answers, and whose key it is (the API's idempotency record). */
export interface IdempotentAnswer {
  tenantId: string;
  /** The caller the key belongs to (`jwt:<sub>`, `api-key:<subject>`). */
  principal: string;
  key: string;
  /** The revision the answer names: recorded only if the append ends exactly there. */
  revision: bigint;
  status: number;
  body: unknown;
  etag: string | null;
}

export interface AppendResult {
  /** The stream's revision after the append (the last event's revision). */
  nextRevision: bigint;
  /** The global position of the last appended event. */
  position: string;
  /** True when `idempotentAnswer` was recorded in the append's transaction. */
  answerRecorded?: boolean;
}

/** One stream's part of `appendToStreams`. */
export interface AppendRequest {
  streamId: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

/** One stream's outcome of `appendToStreams`: its result, or the error its own append would throw. */
export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: Error };

export interface ReadStreamOptions {
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
  /**
   * The caller's tenant: a stream whose events carry another tenant throws TenantMismatch (the API
   * answers 404) and is reported as an error, never returned. Every read on behalf of a tenant passes it.
   */
  tenantId?: string;
}

export interface ReadStreamsOptions {
  maxCount?: number;
  /** As for `readStream`: any stream of another tenant fails the whole read with TenantMismatch. */
  tenantId?: string;
}

export interface ReadAllOptions {
  /** Exclusive; `START` (or omitted) reads from the beginning. */
  after?: string;
  maxCount: number;
  /** Only this tenant's events (`next` is then the position of the last one returned). */
  tenantId?: string;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /** Pass back as `after` to continue; equals `after` when nothing new was committed. */
  next: string;
}

/** The position before the first event. */
export const START = '0';

/** Positions of both adapters are decimal integers increasing along the log. */
export function comparePositions(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference > 0n ? 1 : -1;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams at once, for writers that act on many streams together (the timers).
   * Each stream is checked and written exactly as by `append`: a stream that fails (a wrong revision,
   * say) is reported in its outcome and the others are still written. Outcomes come in request order.
   * Bad input (an invalid event, a stream named twice) throws `InvalidEvent` and writes nothing.
   */
  appendToStreams(requests: AppendRequest[]): Promise<AppendOutcome[]>;
  /** Throws `StreamNotFound` when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Several streams forwards from the start, each up to `maxCount` events; a stream without events
   * is absent from the map (no error).
   */
  readStreams(streamIds: string[], options?: ReadStreamsOptions): Promise<Map<string, RecordedEvent[]>>;
  /** The global log in commit order; never skips an event committed late by a slower writer. */
  readAll(options: ReadAllOptions): Promise<ReadAllResult>;
  /**
   * The position of the newest committed event (for lag and catching up). readAll may hand it
   * out only a moment later, once every older transaction has ended.
   */
  headPosition(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Stream ids name the tenant and the aggregate, never a person: `<category>-<tenantId>.<id>`,
 * e.g. `appraisal-demo.5b1f…`. The category before the first `-` matches KurrentDB's convention.
 * A tenant id never contains `.`, so the first `.` after the category ends the tenant: tenant `x`'s
 * `dot.1` and a tenant `x.dot`'s `1` cannot both exist (docs/adr/0070). Throws InvalidEvent otherwise.
 */
export function streamName(category: string, tenantId: string, id: string): string {
  checkTenantId(tenantId);
  return `${category}-${tenantId}.${id}`;
}
