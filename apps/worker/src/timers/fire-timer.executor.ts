import {
  decideAppraisal,
  TIMER_NAMESPACE,
  uuidV5,
  type Appraisal,
  type AppraisalCommandOf,
  type AppraisalContext,
  schemaVersionOf,
} from '@verity/domain';
import { type EventStore, type NewEvent, toNewEvents } from '@verity/event-store';
import type { WorkflowVersions } from '@verity/projections/timers';
import { AppraisalBatchWriter } from '../appraisal-writes/appraisal-batch.writer';
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
  resolve(outcome: FireOutcome): void;
  reject(error: unknown): void;
}

/**
 * Sends `FireTimer` the way the API's write path sends a command: load the appraisal stream, fold,
 * decide with a context (the clock's now, the system actor, name-based ids), append with the
 * revision it loaded at. A repeated job decides nothing or appends the same event ids, which the
 * store treats as done.
 *
 * Timers fall due in crowds (a cycle's deadline is everyone's deadline), so the ones that arrive
 * together are fired together through the worker's batch writer (one read and one append for all
 * their streams); each timer still succeeds or fails on its own.
 */
export class FireTimerExecutor {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly writer: AppraisalBatchWriter;

  constructor(
    store: EventStore,
    private readonly workflows: WorkflowVersions,
    private readonly clock: Clock,
    options: FireTimerOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
    this.maxInFlight = options.maxInFlight ?? 4;
    this.writer = new AppraisalBatchWriter(store, options.attempts ?? 3);
  }

  fire(job: FireTimerJob): Promise<FireOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
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

  /** Up to `maxBatch` timers; the writer groups them by appraisal. */
  private takeBatch(): Waiting[] {
    const taken = this.waiting.slice(0, this.maxBatch);
    this.waiting = this.waiting.slice(this.maxBatch);
    return taken;
  }

  private async fireBatch(batch: Waiting[]): Promise<void> {
    const settled = await this.writer.write(
      batch.map(({ job }) => ({
        tenantId: job.tenantId,
        appraisalId: job.appraisalId,
        decide: (state: Appraisal) => this.decide(job, state),
      })),
    );
    settled.forEach((result, index) =>
      result.ok ? batch[index].resolve(result.outcome) : batch[index].reject(result.error),
    );
  }

  private async decide(
    job: FireTimerJob,
    state: Appraisal,
  ): Promise<{ outcome: FireOutcome } | { events: NewEvent[]; outcome: FireOutcome }> {
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
      outcome: {
        outcome: 'recorded',
        eventIds: events.map((event) => event.eventId),
        types: events.map((event) => event.type),
      },
    };
  }
}
