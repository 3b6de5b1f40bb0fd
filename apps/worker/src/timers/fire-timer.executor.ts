import {
  AGGREGATES,
  decideAppraisal,
  eventSchemas,
  evolveAppraisal,
  initialAppraisalState,
  isEventType,
  TIMER_NAMESPACE,
  uuidV5,
  type AppraisalCommandOf,
  type AppraisalContext,
  type AppraisalEvent,
} from '@verity/domain';
import {
  streamName,
  type AppendRequest,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@verity/event-store';
import type { WorkflowVersions } from '@verity/projections/timers';
import type { Clock } from './clock';
import type { FireTimerJob } from './timer-job';

/** The worker acting on timers, as recorded in event metadata. */
export const TIMER_ACTOR = { id: 'timers', role: 'system' as const };

export type FireOutcome =
  | { outcome: 'recorded'; eventIds: string[]; types: string[] }
  | { outcome: 'no-op'; reason: 'appraisal-missing' | 'nothing-due' };

export interface FireTimerOptions {
  /** Most timers fired in one round trip to the store. */
  maxBatch?: number;
  /** Batches in flight at once; timers arriving meanwhile wait and form the next, larger batch. */
  maxInFlight?: number;
  /** Attempts of a timer whose appraisal changed between read and append. */
  attempts?: number;
}

interface Waiting {
  job: FireTimerJob;
  streamId: string;
  resolve(outcome: FireOutcome): void;
  reject(error: unknown): void;
}

type Decision = { outcome: FireOutcome } | { append: AppendRequest; eventIds: string[]; types: string[] };

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Sends `FireTimer` the way the API's write path sends a command: load the appraisal stream, fold,
 * decide with a context (the clock's now, the system actor, name-based ids), append with the
 * revision it loaded at. A repeated job decides nothing or appends the same event ids, which the
 * store treats as done.
 *
 * Timers fall due in crowds (a cycle's deadline is everyone's deadline), so the ones that arrive
 * together are fired together: one read of all their streams, one append to all of them. Each
 * timer still succeeds or fails on its own; one whose appraisal changed in between is fired again
 * alone on the newer stream.
 */
export class FireTimerExecutor {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly attempts: number;

  constructor(
    private readonly store: EventStore,
    private readonly workflows: WorkflowVersions,
    private readonly clock: Clock,
    options: FireTimerOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
    this.maxInFlight = options.maxInFlight ?? 4;
    this.attempts = options.attempts ?? 3;
  }

  fire(job: FireTimerJob): Promise<FireOutcome> {
    return new Promise((resolve, reject) => {
      const streamId = streamName(AGGREGATES.appraisal, job.tenantId, job.appraisalId);
      this.waiting.push({ job, streamId, resolve, reject });
      this.schedule();
    });
  }

  /** Starts a batch once this turn's arrivals are in, if a slot is free. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
      const batch = this.takeBatch();
      this.inFlight += 1;
      void this.fireBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
      this.schedule();
    });
  }

  /** Up to `maxBatch` timers, one per appraisal (a call appends to each stream once). */
  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    const streams = new Set<string>();
    for (const item of this.waiting) {
      if (batch.length < this.maxBatch && !streams.has(item.streamId)) {
        streams.add(item.streamId);
        batch.push(item);
      } else later.push(item);
    }
    this.waiting = later;
    return batch;
  }

  private async fireBatch(batch: Waiting[]): Promise<void> {
    let streams: Map<string, RecordedEvent[]>;
    try {
      streams = await this.store.readStreams(batch.map((item) => item.streamId));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const toAppend: { item: Waiting; decision: Extract<Decision, { append: AppendRequest }> }[] = [];
    for (const item of batch) {
      try {
        const decision = await this.decide(item.job, item.streamId, streams.get(item.streamId) ?? []);
        if ('outcome' in decision) item.resolve(decision.outcome);
        else toAppend.push({ item, decision });
      } catch (error) {
        item.reject(error);
      }
    }
    if (toAppend.length === 0) return;
    let outcomes;
    try {
      outcomes = await this.store.appendToStreams(toAppend.map(({ decision }) => decision.append));
    } catch (error) {
      for (const { item } of toAppend) item.reject(error);
      return;
    }
    outcomes.forEach((outcome, index) => {
      const { item, decision } = toAppend[index];
      if (outcome.ok)
        item.resolve({ outcome: 'recorded', eventIds: decision.eventIds, types: decision.types });
      else if (codeOf(outcome.error) === 'wrong-expected-revision')
        this.fireAlone(item.job, item.streamId, 2).then(item.resolve, item.reject);
      else item.reject(outcome.error);
    });
  }

  /** One timer on its own, reading its stream again: after a lost race. */
  private async fireAlone(job: FireTimerJob, streamId: string, attempt: number): Promise<FireOutcome> {
    const streams = await this.store.readStreams([streamId]);
    const decision = await this.decide(job, streamId, streams.get(streamId) ?? []);
    if ('outcome' in decision) return decision.outcome;
    const [outcome] = await this.store.appendToStreams([decision.append]);
    if (outcome.ok) return { outcome: 'recorded', eventIds: decision.eventIds, types: decision.types };
    if (codeOf(outcome.error) !== 'wrong-expected-revision' || attempt >= this.attempts) throw outcome.error;
    return this.fireAlone(job, streamId, attempt + 1);
  }

  private async decide(job: FireTimerJob, streamId: string, recorded: RecordedEvent[]): Promise<Decision> {
    if (recorded.length === 0) return { outcome: { outcome: 'no-op', reason: 'appraisal-missing' } };
    const state = recorded
      .map((event) => ({ type: event.type, data: event.data }) as AppraisalEvent)
      .reduce(evolveAppraisal, initialAppraisalState());
    if (state.status === 'empty') return { outcome: { outcome: 'no-op', reason: 'appraisal-missing' } };
    const workflow = await this.workflows.version(job.tenantId, state.workflowId, state.workflowVersion);
    let counter = 0;
    const context: AppraisalContext = {
      now: this.clock.now().toISOString(),
      tenantId: job.tenantId,
      actor: TIMER_ACTOR,
      relation: 'none',
      // Name-based ids: a rerun of the same timer decides the same ids.
      newId: () => uuidV5(TIMER_NAMESPACE, `${job.tenantId}/${job.timerKey}/id/${counter++}`),
      workflow,
    };
    const command: AppraisalCommandOf<'FireTimer'> = {
      type: 'FireTimer',
      data: {
        appraisalId: job.appraisalId,
        kind: job.kind,
        stepKey: job.stepKey,
        occurrence: job.occurrence,
        level: job.level,
        dueAt: job.fireAt,
      },
    };
    const decided = decideAppraisal(command, state, context);
    if (decided.length === 0) return { outcome: { outcome: 'no-op', reason: 'nothing-due' } };
    const correlationId = uuidV5(TIMER_NAMESPACE, `${job.tenantId}/${job.timerKey}/correlation`);
    const events: NewEvent[] = decided.map((event) => ({
      eventId: event.eventId ?? context.newId(),
      type: event.type,
      data: event.data,
      metadata: {
        tenantId: job.tenantId,
        actor: TIMER_ACTOR,
        correlationId,
        causationId: null,
        schemaVersion: isEventType(event.type) ? eventSchemas[event.type].version : 1,
      },
    }));
    return {
      append: { streamId, events, expectedRevision: recorded[recorded.length - 1].streamRevision },
      eventIds: events.map((event) => event.eventId),
      types: events.map((event) => event.type),
    };
  }
}
