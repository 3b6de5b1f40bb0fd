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
import { streamName, type EventStore, type NewEvent } from '@verity/event-store';
import type { WorkflowVersions } from '@verity/projections/timers';
import type { Clock } from './clock';
import type { FireTimerJob } from './timer-job';

/** The worker acting on timers, as recorded in event metadata. */
export const TIMER_ACTOR = { id: 'timers', role: 'system' as const };

export type FireOutcome =
  | { outcome: 'recorded'; eventIds: string[]; types: string[] }
  | { outcome: 'no-op'; reason: 'appraisal-missing' | 'nothing-due' };

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Sends `FireTimer` the way the API's write path sends a command: load the appraisal stream, fold,
 * decide with a context (the clock's now, the system actor, name-based ids), append with the
 * revision it loaded at. A lost race is retried on the newer stream; a repeated job decides nothing
 * or appends the same event id, which the store treats as done.
 */
export class FireTimerExecutor {
  constructor(
    private readonly store: EventStore,
    private readonly workflows: WorkflowVersions,
    private readonly clock: Clock,
    private readonly attempts = 3,
  ) {}

  async fire(job: FireTimerJob): Promise<FireOutcome> {
    const streamId = streamName(AGGREGATES.appraisal, job.tenantId, job.appraisalId);
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
    for (let attempt = 1; ; attempt++) {
      let recorded;
      try {
        recorded = await this.store.readStream(streamId);
      } catch (error) {
        if (codeOf(error) === 'stream-not-found') return { outcome: 'no-op', reason: 'appraisal-missing' };
        throw error;
      }
      const state = recorded
        .map((event) => ({ type: event.type, data: event.data }) as AppraisalEvent)
        .reduce(evolveAppraisal, initialAppraisalState());
      if (state.status === 'empty') return { outcome: 'no-op', reason: 'appraisal-missing' };
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
      const decided = decideAppraisal(command, state, context);
      if (decided.length === 0) return { outcome: 'no-op', reason: 'nothing-due' };
      const events: NewEvent[] = decided.map((event) => ({
        eventId: event.eventId ?? context.newId(),
        type: event.type,
        data: event.data,
        metadata: {
          tenantId: job.tenantId,
          actor: TIMER_ACTOR,
          correlationId: uuidV5(TIMER_NAMESPACE, `${job.tenantId}/${job.timerKey}/correlation`),
          causationId: null,
          schemaVersion: isEventType(event.type) ? eventSchemas[event.type].version : 1,
        },
      }));
      try {
        await this.store.append(streamId, events, {
          expectedRevision: recorded[recorded.length - 1].streamRevision,
        });
        return {
          outcome: 'recorded',
          eventIds: events.map((event) => event.eventId),
          types: events.map((event) => event.type),
        };
      } catch (error) {
        if (codeOf(error) !== 'wrong-expected-revision' || attempt >= this.attempts) throw error;
      }
    }
  }
}
