import {
  AGGREGATES,
  decideAppraisal,
  initialAppraisalState,
  TIMER_NAMESPACE,
  uuidV5,
  type AppraisalCommandOf,
  type AppraisalContext,
  appraisalDecider,
  fold,
  schemaVersionOf,
} from '@verity/domain';
import {
  streamName,
  type AppendRequest,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  toNewEvents,
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

type Decision = { outcome: FireOutcome } | { events: NewEvent[]; eventIds: string[]; types: string[] };
type Decided = { item: Waiting } & Extract<Decision, { events: NewEvent[] }>;
type AppraisalState = ReturnType<typeof initialAppraisalState>;

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Sends `FireTimer` the way the API's write path sends a command: load the appraisal stream, fold,
 * decide with a context (the clock's now, the system actor, name-based ids), append with the
 * revision it loaded at. A repeated job decides nothing or appends the same event ids, which the
 * store treats as done.
 *
 * Timers fall due in crowds (a cycle's deadline is everyone's deadline), so the ones that arrive
 * together are fired together: one read of all their streams, one append to all of them, the
 * timers of one appraisal decided in turn into that stream's one append. Each timer still succeeds
 * or fails on its own; when an appraisal changed in between, its timers are fired again alone on the
 * newer stream.
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

  /**
   * Up to `maxBatch` timers, grouped by appraisal: a call appends to each stream once, with the
   * events of all its timers (an appraisal's steps often fall due together; one at a time, hundreds
   * of jobs of a few appraisals cost a round trip each, also while the worker shuts down).
   */
  private takeBatch(): Map<string, Waiting[]> {
    const batch = new Map<string, Waiting[]>();
    const taken = this.waiting.slice(0, this.maxBatch);
    this.waiting = this.waiting.slice(this.maxBatch);
    for (const item of taken) {
      const group = batch.get(item.streamId) ?? [];
      group.push(item);
      batch.set(item.streamId, group);
    }
    return batch;
  }

  private async fireBatch(batch: Map<string, Waiting[]>): Promise<void> {
    let streams: Map<string, RecordedEvent[]>;
    try {
      streams = await this.store.readStreams([...batch.keys()]);
    } catch (error) {
      for (const group of batch.values()) for (const item of group) item.reject(error);
      return;
    }
    const toAppend: { group: Decided[]; append: AppendRequest }[] = [];
    for (const [streamId, group] of batch) {
      const decided = await this.decideGroup(group, streamId, streams.get(streamId) ?? []);
      if (decided) toAppend.push(decided);
    }
    if (toAppend.length === 0) return;
    let outcomes;
    try {
      outcomes = await this.store.appendToStreams(toAppend.map(({ append }) => append));
    } catch (error) {
      for (const { group } of toAppend) for (const { item } of group) item.reject(error);
      return;
    }
    outcomes.forEach((outcome, index) => {
      const { group } = toAppend[index];
      if (outcome.ok) {
        for (const { item, eventIds, types } of group) item.resolve({ outcome: 'recorded', eventIds, types });
        return;
      }
      const fireAgain = group.length > 1 || codeOf(outcome.error) === 'wrong-expected-revision';
      if (!fireAgain) {
        group[0].item.reject(outcome.error);
        return;
      }
      // The stream moved (or one timer's events were refused): each timer again on its own, one
      // after the other on the newer stream, so a refusal stays with its timer.
      void (async () => {
        for (const { item } of group)
          await this.fireAlone(item.job, item.streamId, 2).then(item.resolve, item.reject);
      })();
    });
  }

  /**
   * Decides the timers of one appraisal in turn on the state the previous ones left: the timers with
   * something to record share one append; the others are answered here.
   */
  private async decideGroup(
    group: Waiting[],
    streamId: string,
    recorded: RecordedEvent[],
  ): Promise<{ group: Decided[]; append: AppendRequest } | undefined> {
    let state = fold(appraisalDecider, recorded);
    const decided: Decided[] = [];
    for (const item of group) {
      try {
        const decision = await this.decide(item.job, state);
        if ('outcome' in decision) item.resolve(decision.outcome);
        else {
          decided.push({ item, ...decision });
          state = fold(appraisalDecider, decision.events, state);
        }
      } catch (error) {
        item.reject(error);
      }
    }
    if (decided.length === 0) return undefined;
    const events = decided.flatMap((entry) => entry.events);
    return {
      group: decided,
      append: { streamId, events, expectedRevision: recorded[recorded.length - 1].streamRevision },
    };
  }

  /** One timer on its own, reading its stream again: after a lost race. */
  private async fireAlone(job: FireTimerJob, streamId: string, attempt: number): Promise<FireOutcome> {
    const streams = await this.store.readStreams([streamId]);
    const recorded = streams.get(streamId) ?? [];
    const decision = await this.decide(job, fold(appraisalDecider, recorded));
    if ('outcome' in decision) return decision.outcome;
    const [outcome] = await this.store.appendToStreams([
      { streamId, events: decision.events, expectedRevision: recorded[recorded.length - 1].streamRevision },
    ]);
    if (outcome.ok) return { outcome: 'recorded', eventIds: decision.eventIds, types: decision.types };
    if (codeOf(outcome.error) !== 'wrong-expected-revision' || attempt >= this.attempts) throw outcome.error;
    return this.fireAlone(job, streamId, attempt + 1);
  }

  private async decide(job: FireTimerJob, state: AppraisalState): Promise<Decision> {
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
    const events = toNewEvents(decided, {
      tenantId: job.tenantId,
      actor: TIMER_ACTOR,
      correlationId,
      causationId: null,
      eventIdOf: () => context.newId(),
      schemaVersionOf,
    });
    return {
      events,
      eventIds: events.map((event) => event.eventId),
      types: events.map((event) => event.type),
    };
  }
}
