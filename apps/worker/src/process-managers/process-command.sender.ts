import {
  AGGREGATES,
  DomainError,
  eventIdFor,
  decideAppraisal,
  PROCESS_MANAGER_NAMESPACE,
  uuidV5,
  type Appraisal,
  type AppraisalContext,
  type AppraisalEvent,
  type SentCommand,
  appraisalDecider,
  fold,
  schemaVersionOf,
  scoredWeeksOf,
  weeklyPlanDecider,
  weeklyPlanIdOf,
  weeksCountingIn,
  type ScoredWeek,
} from '@verity/domain';
import {
  streamName,
  type AppendRequest,
  type EventStore,
  type NewEvent,
  toNewEvents,
} from '@verity/event-store';
import type { WorkflowVersions } from '@verity/projections/timers';
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

const ATTEMPTS = 3;
const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Sends process managers' commands to appraisals the way the API's write path does (load, fold,
 * decide with a context, append at the loaded revision), many streams per round trip. Every event
 * id derives from the command id, so a command sent again finds its events in the stream and
 * records nothing: a worker killed mid-way and restarted sends each command exactly once.
 */
export class ProcessCommandSender {
  constructor(
    private readonly store: EventStore,
    private readonly workflows: WorkflowVersions,
    private readonly clock: Clock,
  ) {}

  async send(commands: ProcessCommand[], options: SendOptions = {}): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = new Array(commands.length);
    const byStream = new Map<string, number[]>();
    commands.forEach((sent, index) => {
      const streamId = streamName(AGGREGATES.appraisal, sent.tenantId, sent.command.data.appraisalId);
      byStream.set(streamId, [...(byStream.get(streamId) ?? []), index]);
    });
    const streamIds = [...byStream.keys()];
    const chunk = options.streamsPerAppend ?? 50;
    let settled = 0;
    for (let start = 0; start < streamIds.length; start += chunk) {
      const part = streamIds.slice(start, start + chunk);
      await this.sendToStreams(
        part.map((streamId) => ({ streamId, indexes: byStream.get(streamId)! })),
        commands,
        outcomes,
        1,
      );
      settled += part.reduce((sum, streamId) => sum + byStream.get(streamId)!.length, 0);
      options.onProgress?.(settled, commands.length);
    }
    return outcomes;
  }

  private async sendToStreams(
    groups: { streamId: string; indexes: number[] }[],
    commands: ProcessCommand[],
    outcomes: SendOutcome[],
    attempt: number,
  ): Promise<void> {
    const streams = await this.store.readStreams(groups.map((group) => group.streamId));
    const appends: {
      group: (typeof groups)[number];
      request: AppendRequest;
      recorded: Map<number, string[]>;
    }[] = [];
    for (const group of groups) {
      const stored = streams.get(group.streamId) ?? [];
      const storedIds = new Set(stored.map((event) => event.eventId));
      let state = fold(appraisalDecider, stored);
      const events: NewEvent[] = [];
      const recorded = new Map<number, string[]>();
      for (const index of group.indexes) {
        const sent = commands[index];
        if (storedIds.has(eventIdFor(sent.tenantId, sent.commandId, 0))) {
          outcomes[index] = { outcome: 'already-sent' };
          continue;
        }
        const decided = await this.decide(sent, state);
        if (!Array.isArray(decided)) {
          outcomes[index] = decided;
          continue;
        }
        events.push(...decided);
        recorded.set(
          index,
          decided.map((event) => event.eventId),
        );
        state = fold(appraisalDecider, decided, state);
      }
      if (events.length === 0) continue;
      appends.push({
        group,
        recorded,
        request: {
          streamId: group.streamId,
          events,
          expectedRevision: stored.length ? stored[stored.length - 1].streamRevision : 'no_stream',
        },
      });
    }
    if (appends.length === 0) return;
    const results = await this.store.appendToStreams(appends.map((append) => append.request));
    const again: (typeof groups)[number][] = [];
    results.forEach((result, i) => {
      const { group, recorded } = appends[i];
      if (result.ok) {
        for (const [index, eventIds] of recorded) outcomes[index] = { outcome: 'recorded', eventIds };
      } else if (codeOf(result.error) === 'wrong-expected-revision' && attempt < ATTEMPTS) {
        // A person acted on the appraisal in between: decide again on the newer stream.
        again.push(group);
      } else throw result.error;
    });
    if (again.length) await this.sendToStreams(again, commands, outcomes, attempt + 1);
  }

  private async decide(sent: ProcessCommand, state: Appraisal): Promise<NewEvent[] | SendOutcome> {
    const { tenantId, command, commandId } = sent;
    const [workflowId, version] =
      state.status === 'empty' && command.type === 'OpenAppraisal'
        ? [command.data.workflowId, command.data.workflowVersion]
        : state.status === 'empty'
          ? [null, 0]
          : [state.workflowId, state.workflowVersion];
    if (workflowId === null) return { outcome: 'refused', code: 'appraisal-not-found' };
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
    if (
      (command.type === 'ScorePeriod' || command.type === 'RescoreBehaviour') &&
      context.workflow.definition.weeklyPlans
    )
      context.behaviourWeeks = await this.behaviourWeeksOf(tenantId, state, command.data.periodId);
    let decided: AppraisalEvent[];
    try {
      decided = decideAppraisal(command, state, context);
    } catch (error) {
      if (error instanceof DomainError) return { outcome: 'refused', code: error.code };
      throw error;
    }
    if (decided.length === 0) return { outcome: 'nothing-to-do' };
    return toNewEvents(decided, {
      tenantId,
      actor: { id: sent.manager, role: 'system' },
      correlationId: sent.cause.correlationId,
      causationId: sent.cause.eventId,
      eventIdOf: (index) => eventIdFor(tenantId, commandId, index),
      schemaVersionOf,
    });
  }

  /** The person's scored weeks of the month being scored, read as the API's write path reads them (ADR 0131). */
  private async behaviourWeeksOf(
    tenantId: string,
    state: Appraisal,
    periodId: string,
  ): Promise<ScoredWeek[]> {
    const counting = weeksCountingIn(state, periodId);
    if (!counting || state.status === 'empty') return [];
    const streamIds = counting.weeks.map((week) =>
      streamName(AGGREGATES.weeklyPlan, tenantId, weeklyPlanIdOf(counting.employeeId, week)),
    );
    const streams = await this.store.readStreams(streamIds, { tenantId });
    const plans = streamIds.map((streamId) => fold(weeklyPlanDecider, streams.get(streamId) ?? []));
    return scoredWeeksOf(plans, state.cycleId, periodId);
  }
}
