import { behaviourWeeklyStepsCatchUp } from '@verity/domain';
import { comparePositions, START, type EventStore } from '@verity/event-store';
import { WorkflowVersions } from '@verity/projections/timers';
import { ProcessCommandSender, type ProcessCommand } from '../process-managers/process-command.sender';
import type { Clock } from '../timers/clock';

/** How long to wait before reading again when the head is committed but not yet readable. */
const HEAD_POLL_MS = 100;

export interface WeeklyStepsCatchUpReport {
  /** Approvals and migrations looked at (each one `OpenWeeklyPlanSteps`). */
  appraisalEvents: number;
  /** Commands that opened steps, and how many `StepOpened` they recorded. */
  recorded: number;
  stepsOpened: number;
  /** Commands a previous run recorded already, or with nothing left to open. */
  alreadySent: number;
  nothingToDo: number;
  /** Refused by the appraisal, by code (e.g. an appraisal whose workflow version is gone). */
  refused: Record<string, number>;
  /** The log position read up to: pass it as `after` to resume a stopped run. */
  position: string;
}

export interface WeeklyStepsCatchUpOptions {
  /** Resume after this position (a previous report's `position`); the beginning by default. */
  after?: string;
  /** Events read from the log per round trip. */
  batchSize?: number;
  onBatch?: (report: WeeklyStepsCatchUpReport) => void;
}

/**
 * ADR 0153: gives the appraisals approved before ADR 0145 (or migrated since to a workflow version
 * that times weekly plans) the weekly-plan steps of the weeks still to come. It reads the log once
 * up to its head and sends `behaviour-weekly-steps-catch-up`'s command for each approval and
 * migration through the worker's own sender: the command ids derive from the events, so a run
 * stopped half-way and started again (from the start or from its last position) records each
 * command once, and a second full run records nothing. No event is rewritten.
 */
export async function catchUpWeeklyPlanSteps(
  store: EventStore,
  clock: Clock,
  options: WeeklyStepsCatchUpOptions = {},
): Promise<WeeklyStepsCatchUpReport> {
  const sender = new ProcessCommandSender(store, new WorkflowVersions(store), clock);
  const manager = behaviourWeeklyStepsCatchUp;
  const types = new Set<string>(manager.eventTypes);
  const report: WeeklyStepsCatchUpReport = {
    appraisalEvents: 0,
    recorded: 0,
    stepsOpened: 0,
    alreadySent: 0,
    nothingToDo: 0,
    refused: {},
    position: options.after ?? START,
  };
  const head = await store.headPosition();
  for (;;) {
    const { events, next } = await store.readAll({
      after: report.position,
      maxCount: options.batchSize ?? 500,
    });
    const commands: ProcessCommand[] = events
      .filter((event) => types.has(event.type) && comparePositions(event.position, head) <= 0)
      .flatMap((event) =>
        manager
          .react({
            type: event.type,
            data: event.data,
            eventId: event.eventId,
            tenantId: event.metadata.tenantId,
          } as never)
          .map((sent) => ({
            ...sent,
            tenantId: event.metadata.tenantId,
            manager: manager.name,
            cause: { eventId: event.eventId, correlationId: event.metadata.correlationId },
          })),
      );
    for (const outcome of await sender.send(commands)) {
      report.appraisalEvents += 1;
      if (outcome.outcome === 'recorded') {
        report.recorded += 1;
        report.stepsOpened += outcome.eventIds.length;
      } else if (outcome.outcome === 'already-sent') report.alreadySent += 1;
      else if (outcome.outcome === 'nothing-to-do') report.nothingToDo += 1;
      else report.refused[outcome.code] = (report.refused[outcome.code] ?? 0) + 1;
    }
    report.position = next;
    options.onBatch?.(report);
    // Up to the head as it was when the run began: the steps it opens itself need no catch-up.
    if (comparePositions(next, head) >= 0) return report;
    // The head is committed but readable only once every older transaction has ended.
    if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, HEAD_POLL_MS));
  }
}
