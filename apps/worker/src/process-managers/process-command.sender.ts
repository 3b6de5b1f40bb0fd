import {
  AGGREGATES,
  DomainError,
  fold,
  eventIdFor,
  decideAppraisal,
  PROCESS_MANAGER_NAMESPACE,
  uuidV5,
  type Appraisal,
  type AppraisalContext,
  type AppraisalEvent,
  type SentCommand,
  schemaVersionOf,
  behaviourWeeksOf,
  plannedWeeksOf,
  filedDaysOf,
  weeklyPlanDecider,
  dailyPlanDecider,
  type PlanLoaders,
  type Evolver,
} from '@verity/domain';
import {
  streamName,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  toNewEvents,
} from '@verity/event-store';
import type { WorkflowVersions } from '@verity/projections/timers';
import { AppraisalBatchWriter } from '../appraisal-writes/appraisal-batch.writer';
import { OpenCyclesReader } from './open-cycles.reader';
import type { Clock } from '../timers/clock';

/** A command of a process manager with where it came from (for the trail) and whom it acts as. */
export interface ProcessCommand extends SentCommand {
  tenantId: string;
  /** The process manager's name: the actor id recorded in the events' metadata. */
  manager: string;
  /** The event that caused it: its id is the causation, its correlation id carries on. */
  cause: { eventId: string; correlationId: string };
}

export type SendOutcome =
  | { outcome: 'recorded'; eventIds: string[] }
  /** The stream already holds this command's events: an event handed over again. */
  | { outcome: 'already-sent' }
  /** The aggregate decided nothing (e.g. the workflow asks a person to take the step). */
  | { outcome: 'nothing-to-do' }
  /** The aggregate refused it (e.g. a person scored the month first); the code says why. */
  | { outcome: 'refused'; code: string };

export interface SendOptions {
  /** Streams written per round trip; progress is reported after each. */
  streamsPerAppend?: number;
  /** Told after each round trip: how many commands are settled so far. */
  onProgress?: (settled: number, total: number) => void;
}

/**
 * Sends process managers' commands to appraisals through the worker's batch writer (one read and
 * one append per round trip for many streams). Every event id derives from the command id, so a
 * command sent again finds its events in the stream and records nothing: a worker killed mid-way and
 * restarted sends each command exactly once.
 */
export class ProcessCommandSender {
  private readonly writer: AppraisalBatchWriter;
  /** The facts a process manager may need before it reacts (read on the same store). */
  readonly openCycles: OpenCyclesReader;

  constructor(
    // Read for the weekly plans a month's scoring counts (ADR 0131); appraisals go through the writer.
    private readonly store: EventStore,
    private readonly workflows: WorkflowVersions,
    private readonly clock: Clock,
  ) {
    this.writer = new AppraisalBatchWriter(store);
    this.openCycles = new OpenCyclesReader(store, workflows);
  }

  async send(commands: ProcessCommand[], options: SendOptions = {}): Promise<SendOutcome[]> {
    // Chunks by stream, so that a stream's commands go in one round trip, in their order.
    const byStream = new Map<string, number[]>();
    commands.forEach((sent, index) => {
      const key = `${sent.tenantId}/${sent.command.data.appraisalId}`;
      byStream.set(key, [...(byStream.get(key) ?? []), index]);
    });
    const streams = [...byStream.values()];
    const chunk = options.streamsPerAppend ?? 50;
    const outcomes: SendOutcome[] = new Array(commands.length);
    let settled = 0;
    for (let start = 0; start < streams.length; start += chunk) {
      const part = streams.slice(start, start + chunk).flat();
      const results = await this.writer.write(
        part.map((index) => ({
          tenantId: commands[index].tenantId,
          appraisalId: commands[index].command.data.appraisalId,
          decide: (state: Appraisal, stored: readonly RecordedEvent[]) =>
            this.decide(commands[index], state, stored),
        })),
      );
      results.forEach((result, i) => {
        if (!result.ok) throw result.error;
        outcomes[part[i]] = result.outcome;
      });
      settled += part.length;
      options.onProgress?.(settled, commands.length);
    }
    return outcomes;
  }

  /** The person's weekly and daily plans, read on the same store in one round trip per kind. */
  private planLoaders(tenantId: string): PlanLoaders {
    const read =
      <Event extends { type: string; data: unknown }, State>(
        category: string,
        decider: Evolver<Event, State>,
      ) =>
      async (ids: string[]): Promise<State[]> => {
        const streamIds = ids.map((id) => streamName(category, tenantId, id));
        const streams = await this.store.readStreams(streamIds, { tenantId });
        return streamIds.map((streamId) => fold(decider, streams.get(streamId) ?? []));
      };
    return {
      weeks: read(AGGREGATES.weeklyPlan, weeklyPlanDecider),
      days: read(AGGREGATES.dailyPlan, dailyPlanDecider),
    };
  }

  private async decide(
    sent: ProcessCommand,
    state: Appraisal,
    stored: readonly RecordedEvent[],
  ): Promise<{ outcome: SendOutcome } | { events: NewEvent[]; outcome: SendOutcome }> {
    const { tenantId, command, commandId } = sent;
    const first = eventIdFor(tenantId, commandId, 0);
    if (stored.some((event) => event.eventId === first)) return { outcome: { outcome: 'already-sent' } };
    const [workflowId, version] =
      state.status === 'empty' && (command.type === 'OpenAppraisal' || command.type === 'OpenJoinerAppraisal')
        ? [command.data.workflowId, command.data.workflowVersion]
        : state.status === 'empty'
          ? [null, 0]
          : [state.workflowId, state.workflowVersion];
    if (workflowId === null) return { outcome: { outcome: 'refused', code: 'appraisal-not-found' } };
    let ids = 0;
    const context: AppraisalContext = {
      now: this.clock.now().toISOString(),
      tenantId,
      actor: { id: sent.manager, role: 'system' },
      relation: 'none',
      // Name-based: deciding the same command again gives the same ids.
      newId: () => uuidV5(PROCESS_MANAGER_NAMESPACE, `${tenantId}/${commandId}/id/${ids++}`),
      workflow: await this.workflows.version(tenantId, workflowId, version),
    };
    const load = this.planLoaders(tenantId);
    if (
      (command.type === 'ScorePeriod' || command.type === 'RescoreBehaviour') &&
      context.workflow.definition.weeklyPlans
    )
      context.behaviourWeeks = await behaviourWeeksOf(
        state,
        command.data.periodId,
        context.workflow.definition,
        load,
      );
    // The weeks planned already open no step (ADR 0153), read as the approval reads them (ADR 0145).
    if (command.type === 'OpenWeeklyPlanSteps' && context.workflow.definition.weeklyPlans)
      context.plannedWeeks = await plannedWeeksOf(state, load.weeks);
    // A week's plan opens its days' steps, but not for days filed already (ADR 0160).
    if (
      command.type === 'TrackWeeklyPlan' &&
      command.data.progress === 'submitted' &&
      context.workflow.definition.dailyPlans
    )
      context.filedDays = await filedDaysOf(state, command.data.week, load.days);
    let decided: AppraisalEvent[];
    try {
      decided = decideAppraisal(command, state, context);
    } catch (error) {
      if (error instanceof DomainError) return { outcome: { outcome: 'refused', code: error.code } };
      throw error;
    }
    if (decided.length === 0) return { outcome: { outcome: 'nothing-to-do' } };
    const events = toNewEvents(decided, {
      tenantId,
      actor: { id: sent.manager, role: 'system' },
      correlationId: sent.cause.correlationId,
      causationId: sent.cause.eventId,
      eventIdOf: (index) => eventIdFor(tenantId, commandId, index),
      schemaVersionOf,
    });
    return { events, outcome: { outcome: 'recorded', eventIds: events.map((event) => event.eventId) } };
  }
}
