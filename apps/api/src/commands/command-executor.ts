import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import {
  ERASURE_EVENT,
  piiSubjectOfOpened,
  toNewEvents,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@verity/event-store';
import {
  createdIdOf,
  fold,
  schemaVersionOf,
  uuidV5,
  type Decider,
  type DomainContext,
  type Relation,
} from '@verity/domain';
import { Problem } from '../errors/problem';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../clock/clock';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { isWrongExpectedRevision, StreamLoader, type Loaded } from '../event-store/stream-loader';
import type { OpenClaim } from '../idempotency/idempotent-requests';

/** Folded aggregate states kept in memory (least recently used dropped first). */
const MAX_CACHED_FOLDS = 20_000;

/** What a command carries from HTTP besides its payload: who, which revision they read, the correlation. */
export interface CommandEnvelope {
  principal: Principal;
  /** From `If-Match`: the revision the client based its change on. */
  ifMatch?: bigint | '*';
  correlationId: string;
  /** From `Idempotency-Key`: the events' ids are then derived from it (see `eventIdsFor`). */
  idempotencyKey?: string;
  /**
   * The HTTP answer a command's outcome gets. With it, a request holding an `Idempotency-Key`
   * claim has its answer recorded by the append's own transaction (ADR 0155).
   */
  answerOf?: (outcome: CommandOutcome) => CommandAnswer;
  /** The request's open `Idempotency-Key` claim, whose answer `answerOf` gives. */
  claim?: OpenClaim;
}

/** What the client is answered: status, body and ETag, exactly as an idempotent replay repeats them. */
export interface CommandAnswer {
  status: number;
  body: unknown;
  etag: string | null;
}

export interface CommandOutcome {
  streamId: string;
  /** The stream's revision after the command (null: still no stream, nothing was decided). */
  revision: bigint | null;
  /** Each event, with the id of what it created where it created something (e.g. `breachId`). */
  events: ({ eventId: string; type: string } & Record<string, string>)[];
}

type DomainEvent = { type: string; data: unknown; eventId?: string };

export interface Execution<Command, Event extends DomainEvent, State> {
  streamId: string;
  decider: Decider<Command, Event, State>;
  command: Command;
  envelope: CommandEnvelope;
  /** The actor's org relation to the aggregate's subject, computed from the loaded state. */
  relationOf?: (state: State, now: string) => Promise<Relation>;
  /** 404 instead of running decide on an empty stream (every command but the creating one). */
  mustExist?: boolean;
  /** The employee an aggregate is about (the appraisee): whose key seals the `pii` of its events. */
  subjectOf?: (state: State) => string | null;
  /** Extra context fields a decider needs (e.g. the workflow a cycle pins). */
  extraContext?: (state: State) => Promise<Record<string, unknown>>;
}

/**
 * The write path of DESIGN.md in one function: load the stream, fold with evolve, decide with a
 * context (now, actor, relation, new ids), append with the revision it loaded at (or the client's
 * `If-Match`). A concurrent writer makes the append fail with WrongExpectedRevision → 409.
 */
@Injectable()
export class CommandExecutor {
  private readonly folds = new Map<string, CachedFold>();
  /** Appends of this process in flight per stream, until their fold is kept (ADR 0167). */
  private readonly appending = new Map<string, number>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly loader: StreamLoader,
  ) {}

  /**
   * The folded state for a decision: from the cache of folded states (events never change, so a
   * cached fold at revision r plus the events after r is exact), reading only the newer events.
   */
  private async loadForDecision<Event extends DomainEvent, State>(
    tenantId: string,
    streamId: string,
    decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  ): Promise<Omit<Loaded<State>, 'events'>> {
    const cached = this.cachedFold(tenantId, streamId, decider.evolve);
    if (!cached) {
      const loaded = await this.loader.load(tenantId, streamId, decider);
      this.remember(
        tenantId,
        streamId,
        decider.evolve,
        loaded.state,
        loaded.revision,
        subjectsOfRead(loaded.events),
      );
      return loaded;
    }
    // Also checked when nothing is newer: the store then looks at the stream's own tenant.
    const newer = await this.store.readStream(streamId, { fromRevision: cached.revision + 1n, tenantId });
    if (newer.length === 0) return { state: cached.state as State, revision: cached.revision };
    const state = fold(decider, newer, cached.state as State);
    const revision = newer[newer.length - 1].streamRevision;
    this.remember(
      tenantId,
      streamId,
      decider.evolve,
      state,
      revision,
      subjectsOfRead(newer, cached.subjects),
    );
    // An erasure another process recorded: this process forgets the person's states too.
    this.forgetErased(newer);
    return { state, revision };
  }

  /** The kept fold of this tenant's stream by this decider, if any. */
  private cachedFold(tenantId: string, streamId: string, evolve: unknown): CachedFold | undefined {
    const cached = this.folds.get(streamId);
    // Stream names carry their tenant (ADR 0070); the check keeps that from being the only guard.
    return cached && cached.evolve === evolve && cached.tenantId === tenantId ? cached : undefined;
  }

  private remember(
    tenantId: string,
    streamId: string,
    evolve: unknown,
    state: unknown,
    revision: bigint | null,
    subjects: ReadonlySet<string>,
  ): void {
    if (revision === null) return;
    this.folds.delete(streamId); // re-insert: the Map's order is then least recently used first
    if (this.folds.size >= MAX_CACHED_FOLDS) this.folds.delete(this.folds.keys().next().value!);
    this.folds.set(streamId, { tenantId, evolve, state, revision, subjects });
  }

  /**
   * ADR 0115, "The API's fold cache": once a person's data is erased, no state folded from their opened `pii` stays in
   * memory. The states of the streams that hold any of their sealed `pii` are dropped; the next
   * command reads them again, and their `pii` then reads as erased.
   */
  private forgetErased(
    events: readonly { type: string; data: unknown; metadata: { tenantId: string } }[],
  ): void {
    for (const event of events) {
      if (event.type !== ERASURE_EVENT) continue;
      const subject = subjectKey(event.metadata.tenantId, (event.data as { employeeId: string }).employeeId);
      for (const [streamId, cached] of this.folds)
        if (cached.subjects.has(subject)) this.folds.delete(streamId);
    }
  }

  /** Whether a state of this stream is kept in memory (for the erasure test, ADR 0115). */
  cachedStates(): { streamId: string; state: unknown }[] {
    return [...this.folds].map(([streamId, cached]) => ({ streamId, state: cached.state }));
  }

  /**
   * What the command would append, decided exactly as `execute` decides it, with nothing written:
   * a preview (e.g. of a directory import) that can never disagree with the real write. Always on
   * the caught-up stream: no append checks a preview's revision.
   */
  async decideOnly<Command, Event extends DomainEvent, State>(
    execution: Execution<Command, Event, State>,
  ): Promise<{ revision: bigint | null; events: Event[] }> {
    const { loaded, decided } = await this.decide(execution, 'caught-up');
    return { revision: loaded.revision, events: decided };
  }

  /**
   * Decides on the stream as `source` says. `kept`: on this process's kept fold when there is one,
   * without reading the store (ADR 0167): only a decision that is then appended may rest on it, as
   * the append's expected revision refuses a fold that another process has overtaken.
   */
  private async decide<Command, Event extends DomainEvent, State>(
    execution: Execution<Command, Event, State>,
    source: 'kept' | 'caught-up',
  ): Promise<Decision<Event, State>> {
    const { streamId, decider, envelope } = execution;
    const tenantId = envelope.principal.tenantId;
    const kept = source === 'kept' ? this.cachedFold(tenantId, streamId, decider.evolve) : undefined;
    const loaded = kept
      ? { state: kept.state as State, revision: kept.revision }
      : await this.loadForDecision(tenantId, streamId, decider);
    if (execution.mustExist && loaded.revision === null)
      throw new Problem(404, 'not-found', 'No such resource.');
    checkIfMatch(envelope.ifMatch, loaded.revision);

    const now = this.clock.now().toISOString();
    const { principal } = envelope;
    const context: DomainContext = {
      now,
      tenantId: principal.tenantId,
      actor: { id: principal.subject, role: principal.role, employeeId: principal.employeeId },
      relation: execution.relationOf ? await execution.relationOf(loaded.state, now) : 'none',
      newId: newIdsFor(envelope, streamId, execution.command),
      ...(execution.extraContext ? await execution.extraContext(loaded.state) : {}),
    };
    const decided = decider.decide(execution.command, loaded.state, context);
    return { loaded, decided, caughtUp: kept === undefined };
  }

  /**
   * A decision for `execute`: on the kept fold first (no read), and on the caught-up stream when the
   * kept fold may be why it refused or decided nothing, since no append would tell (a 404, 412 or
   * 422 on a state another process has moved on from would be a wrong answer).
   */
  private async decideToAppend<Command, Event extends DomainEvent, State>(
    execution: Execution<Command, Event, State>,
  ): Promise<Decision<Event, State>> {
    const { envelope, streamId, decider } = execution;
    // A client's If-Match is compared with the stream as it is, not as this process last saw it.
    const kept =
      envelope.ifMatch === undefined &&
      this.cachedFold(envelope.principal.tenantId, streamId, decider.evolve);
    if (!kept) return this.decide(execution, 'caught-up');
    let decision: Decision<Event, State>;
    try {
      decision = await this.decide(execution, 'kept');
    } catch {
      return this.decide(execution, 'caught-up');
    }
    return decision.decided.length > 0 ? decision : this.decide(execution, 'caught-up');
  }

  async execute<Command, Event extends DomainEvent, State>(
    execution: Execution<Command, Event, State>,
  ): Promise<CommandOutcome> {
    const decision = await this.decideToAppend(execution);
    try {
      return await this.append(execution, decision);
    } catch (error) {
      if (!this.overtakenElsewhere(execution, decision, error)) throw error;
      // The kept fold was behind the stream: decide again on the stream as it is, once. A second
      // refusal is a writer that came in meanwhile, answered 409 as always.
      return this.append(execution, await this.decide(execution, 'caught-up'));
    }
  }

  /**
   * Whether an append refused for its revision was decided on a kept fold that only another process
   * had moved past. A fold this process moved on in the meantime (its own append, or a read of one)
   * is a concurrent writer on this process's watch: 409, as before ADR 0167.
   */
  private overtakenElsewhere<Event extends DomainEvent, State>(
    execution: Execution<unknown, Event, State>,
    decision: Decision<Event, State>,
    error: unknown,
  ): boolean {
    if (decision.caughtUp || !isWrongExpectedRevision(error)) return false;
    // Another append of this process on the stream, still finishing: the writer that won the race.
    if (this.appending.has(execution.streamId)) return false;
    const kept = this.cachedFold(
      execution.envelope.principal.tenantId,
      execution.streamId,
      execution.decider.evolve,
    );
    return kept !== undefined && kept.revision === decision.loaded.revision;
  }

  private async append<Command, Event extends DomainEvent, State>(
    execution: Execution<Command, Event, State>,
    { loaded, decided, caughtUp }: Decision<Event, State>,
  ): Promise<CommandOutcome> {
    const { streamId, envelope } = execution;
    if (decided.length === 0) return { streamId, revision: loaded.revision, events: [] };
    const { principal } = envelope;
    const aggregateSubject = execution.subjectOf?.(loaded.state) ?? null;
    const events = toNewEvents(decided, {
      tenantId: principal.tenantId,
      actor: { id: principal.subject, role: principal.role },
      correlationId: envelope.correlationId,
      causationId: null,
      eventIdOf: (index) => eventIdFor(envelope, streamId, execution.command, index),
      schemaVersionOf,
      piiSubjectOf: (data) => piiSubjectOf(data, aggregateSubject, principal),
    });
    const appended = events.map((event) => ({
      eventId: event.eventId,
      type: event.type,
      ...createdIdOf(event),
    }));
    // The answer is known before the append: the revision it ends at is the loaded one plus these
    // events, or the append fails. The store records it only if that is where the append ends.
    const claim = envelope.answerOf ? envelope.claim : undefined;
    const revision = (loaded.revision ?? -1n) + BigInt(events.length);
    const answer = claim && envelope.answerOf!({ streamId, revision, events: appended });
    // Forgotten before the append, as the store destroys the keys before it (ADR 0115).
    this.forgetErased(events);
    this.appending.set(streamId, (this.appending.get(streamId) ?? 0) + 1);
    try {
      const result = await this.store.append(streamId, events, {
        expectedRevision: loaded.revision === null ? 'no_stream' : loaded.revision,
        ...(claim && answer
          ? {
              idempotentAnswer: {
                tenantId: claim.owner.tenantId,
                principal: claim.owner.principal,
                key: claim.key,
                revision,
                ...answer,
              },
            }
          : {}),
      });
      if (claim && result.answerRecorded) claim.answered = true;
      // The append succeeded at the revision the decision loaded, so the stream is now exactly the
      // loaded state plus these events: keep that fold, and the next command on the stream reads
      // only what others appended since (often nothing) instead of reading its own events back and
      // opening their `pii` again. A repeat of stored ids (Idempotency-Key) ends at the original's
      // revision, which differs from loaded + these events, and is not remembered.
      //
      // Not on a kept fold with an Idempotency-Key: its event ids are derived from the key, so another
      // process may have stored this very request already, and a kept fold one append behind would
      // make the original's revision equal loaded + these events (the store answers a repeat as a
      // success). The events decided here would then be remembered in place of the stored ones.
      const maybeRepeat = !caughtUp && envelope.idempotencyKey !== undefined;
      if (maybeRepeat) this.folds.delete(streamId);
      if (result.nextRevision === revision && !maybeRepeat) {
        // (A concurrent request of this process may already have remembered a later revision.)
        const cached = this.folds.get(streamId);
        if (!cached || cached.revision < result.nextRevision) {
          const state = fold(execution.decider, events, loaded.state);
          const subjects = subjectsOfAppended(events, this.folds.get(streamId)?.subjects);
          this.remember(
            principal.tenantId,
            streamId,
            execution.decider.evolve,
            state,
            result.nextRevision,
            subjects,
          );
          // The stream that records an erasure may hold the person's data folded before it.
          this.forgetErased(events);
        }
      }
      return { streamId, revision: result.nextRevision, events: appended };
    } catch (error) {
      // The client said which revision it read: a lost race is then "your precondition failed".
      if (isWrongExpectedRevision(error) && typeof envelope.ifMatch === 'bigint') throw preconditionFailed();
      throw error;
    } finally {
      const running = this.appending.get(streamId)! - 1;
      if (running === 0) this.appending.delete(streamId);
      else this.appending.set(streamId, running);
    }
  }
}

/** A decision and the state it was taken on; `caughtUp` when that state was read from the store. */
interface Decision<Event, State> {
  loaded: Omit<Loaded<State>, 'events'>;
  decided: Event[];
  caughtUp: boolean;
}

interface CachedFold {
  /** The tenant the stream was read for (the store checked it). */
  tenantId: string;
  evolve: unknown;
  state: unknown;
  revision: bigint;
  /** `<tenant>/<person>` of every data key that sealed `pii` folded into the state (ADR 0115). */
  subjects: ReadonlySet<string>;
}

const subjectKey = (tenantId: string, subject: string) => `${tenantId}/${subject}`;

/** The people whose opened `pii` the read events carry, added to those already folded. */
function subjectsOfRead(events: readonly RecordedEvent[], before: ReadonlySet<string> = new Set()) {
  const subjects = new Set(before);
  for (const event of events) {
    const subject = piiSubjectOfOpened(event);
    if (subject !== undefined) subjects.add(subjectKey(event.metadata.tenantId, subject));
  }
  return subjects;
}

/** The people whose keys will seal the appended events' `pii` (the writer named them). */
function subjectsOfAppended(events: readonly NewEvent[], before: ReadonlySet<string> = new Set()) {
  const subjects = new Set(before);
  for (const event of events)
    if (typeof event.metadata.piiSubject === 'string')
      subjects.add(subjectKey(event.metadata.tenantId, event.metadata.piiSubject));
  return subjects;
}

/**
 * Whose data key seals an event's `pii` (docs/adr/0115): the aggregate's subject (an appraisal's
 * appraisee, whatever its manager wrote about them), else the employee the event names (a hire),
 * else the writer's own. The store reads it and does not keep it in the metadata.
 */
function piiSubjectOf(data: unknown, aggregateSubject: string | null, principal: Principal): string {
  const named = (data as { employeeId?: unknown }).employeeId;
  return (
    aggregateSubject ?? (typeof named === 'string' ? named : (principal.employeeId ?? principal.subject))
  );
}

// Namespace of event ids derived from an Idempotency-Key (UUIDv5).
const IDEMPOTENT_EVENT_NAMESPACE = '3b0f6c1e-2a7d-4e59-9b18-5d4c7a2e8f61';

/**
 * A request with an Idempotency-Key gets event ids derived from the tenant, the caller (keys are
 * the caller's own, ADR 0090), the key, the stream, the command and the event's place in the append. If the API dies after the append but before it
 * recorded the response, the client's retry decides again and appends the same ids, which the
 * store answers as a repeat instead of writing the events twice. (One request appends once; the
 * command is part of the name so that a key reused for another command never collides.)
 */
function eventIdFor(envelope: CommandEnvelope, streamId: string, command: unknown, index: number): string {
  if (!envelope.idempotencyKey) return randomUUID();
  const { principal } = envelope;
  const request = createHash('sha256').update(JSON.stringify(command)).digest('hex');
  return uuidV5(
    IDEMPOTENT_EVENT_NAMESPACE,
    `${principal.tenantId}/${principal.via}:${principal.subject}/${envelope.idempotencyKey}/${streamId}/${request}/${index}`,
  );
}

/**
 * Ids the decision gives what it creates (a breach, an annotation). With an Idempotency-Key they are
 * derived like the event ids, so a request decided again after a lost response names the same
 * breach as the events the store kept, not one that was never recorded.
 */
function newIdsFor(envelope: CommandEnvelope, streamId: string, command: unknown): () => string {
  const key = envelope.idempotencyKey;
  if (!key) return randomUUID;
  const request = createHash('sha256').update(JSON.stringify(command)).digest('hex');
  let next = 0;
  return () =>
    uuidV5(
      IDEMPOTENT_EVENT_NAMESPACE,
      `${envelope.principal.tenantId}/${key}/${streamId}/${request}/id/${next++}`,
    );
}

export function checkIfMatch(ifMatch: bigint | '*' | undefined, revision: bigint | null): void {
  if (ifMatch === undefined) return;
  if (ifMatch === '*' ? revision === null : revision !== ifMatch) throw preconditionFailed();
}

const preconditionFailed = () =>
  new Problem(412, 'precondition-failed', 'If-Match does not match the current revision; reload and retry.');
