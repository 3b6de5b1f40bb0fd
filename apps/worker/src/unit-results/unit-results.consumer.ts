import {
  AGGREGATES,
  appraisalDecider,
  commandIdFor,
  cycleDecider,
  directoryDecider,
  fold,
  targetTreeDecider,
  UNIT_RESULT_SOURCE,
  unitResultFeedOf,
} from '@verity/domain';
import { streamName, type ConsumerHandler, type EventStore, type RecordedEvent } from '@verity/event-store';
import type { WorkflowVersions } from '@verity/projections/timers';
import type {
  ProcessCommand,
  ProcessCommandSender,
  SendOutcome,
} from '../process-managers/process-command.sender';

export const UNIT_RESULTS_CONSUMER = 'unit-results';

/** The events that change a person's actuals of a period (the tree's leaves). */
export const ACTUALS_CHANGED = [
  'PeriodReviewFiled',
  'ActualImported',
  'ActualDisputeResolved',
  'PeriodReviewAssessed',
] as const;

/** Ids and codes only: a command's data may carry personal data. */
export interface UnitResultsReport {
  refused?(command: ProcessCommand, outcome: Extract<SendOutcome, { outcome: 'refused' }>): void;
}

/**
 * A unit's result feeds its head's appraisal without anyone asking (ADR 0125): when a person's actuals
 * of a period change, the period's unit results of their cycle are worked out again by the
 * workflow's `unitResults` rules (the same `unitResultFeedOf` as `POST /cycles/{id}/unit-results`)
 * and each is sent to the head's appraisal as the system's `ImportActual`, sourced
 * `target-tree/<targetId>`. A figure the head's appraisal already holds from the same source records
 * nothing, so the head's own fed actual, which comes back through here, ends the round. The command
 * ids derive from the causing event: a batch handed over again sends nothing twice.
 */
export function unitResultsConsumer(
  store: EventStore,
  workflows: WorkflowVersions,
  sender: ProcessCommandSender,
  report: UnitResultsReport = {},
): ConsumerHandler {
  async function feed({
    tenantId,
    cycleId,
    periodId,
    cause,
  }: {
    tenantId: string;
    cycleId: string;
    periodId: string;
    cause: RecordedEvent;
  }): Promise<void> {
    const cycle = fold(
      cycleDecider,
      await store.readStream(streamName(AGGREGATES.cycle, tenantId, cycleId), { tenantId }),
    );
    if (cycle.status === 'empty') return;
    const { definition } = await workflows.version(tenantId, cycle.workflowId, cycle.workflowVersion);
    // Most workflows state no rule: nothing to work out.
    if (!definition.unitResults?.length) return;
    const tree = streamName(AGGREGATES.targetTree, tenantId, cycleId);
    const directory = streamName(AGGREGATES.directory, tenantId, tenantId);
    const appraisals = cycle.appraisalIds.map((id) => streamName(AGGREGATES.appraisal, tenantId, id));
    const streams = await store.readStreams([tree, directory, ...appraisals], { tenantId });
    const results = unitResultFeedOf({
      tree: fold(targetTreeDecider, streams.get(tree) ?? []),
      directory: fold(directoryDecider, streams.get(directory) ?? []),
      appraisals: appraisals.map((id) => fold(appraisalDecider, streams.get(id) ?? [])),
      rules: definition.unitResults,
      periodId,
    });
    const commands: ProcessCommand[] = (results ?? []).flatMap((result) =>
      result.appraisalId === null
        ? []
        : [
            {
              tenantId,
              manager: UNIT_RESULTS_CONSUMER,
              cause: { eventId: cause.eventId, correlationId: cause.metadata.correlationId },
              commandId: commandIdFor(
                UNIT_RESULTS_CONSUMER,
                { tenantId, eventId: cause.eventId },
                `${periodId}/${result.targetId}`,
              ),
              command: {
                type: 'ImportActual',
                data: {
                  appraisalId: result.appraisalId,
                  periodId,
                  indicatorId: result.indicatorId,
                  actual: result.actual,
                  source: { system: UNIT_RESULT_SOURCE, reference: result.targetId },
                },
              },
            },
          ],
    );
    if (commands.length === 0) return;
    const outcomes = await sender.send(commands);
    outcomes.forEach((outcome, index) => {
      if (outcome.outcome === 'refused') report.refused?.(commands[index], outcome);
    });
  }

  return {
    name: UNIT_RESULTS_CONSUMER,
    eventTypes: [...ACTUALS_CHANGED],
    async handle(events: RecordedEvent[]): Promise<void> {
      // One feed per tenant, cycle and period per batch, caused by the last event that touched it.
      const due = new Map<
        string,
        { tenantId: string; cycleId: string; periodId: string; cause: RecordedEvent }
      >();
      const cycleOf = new Map<string, string | null>();
      for (const event of events) {
        const { appraisalId, periodId } = event.data as { appraisalId: string; periodId: string };
        const tenantId = event.metadata.tenantId;
        const key = `${tenantId}/${appraisalId}`;
        if (!cycleOf.has(key)) {
          const stream = await store.readStream(streamName(AGGREGATES.appraisal, tenantId, appraisalId), {
            tenantId,
            maxCount: 1,
          });
          const opened = fold(appraisalDecider, stream);
          cycleOf.set(key, opened.status === 'empty' ? null : opened.cycleId);
        }
        const cycleId = cycleOf.get(key);
        if (cycleId)
          due.set(`${tenantId}/${cycleId}/${periodId}`, { tenantId, cycleId, periodId, cause: event });
      }
      for (const each of due.values()) await feed(each);
    },
  };
}
