import type { ConsumerHandler, RecordedEvent } from '@verity/event-store';
import {
  NO_FACTS,
  PROCESS_MANAGERS,
  type DomainEvent,
  type ProcessManager,
  type ReceivedEvent,
} from '@verity/domain';
import type { ProcessCommand, ProcessCommandSender, SendOutcome } from './process-command.sender';

export const PROCESS_MANAGERS_CONSUMER = 'process-managers';

/** What the consumer reports as it goes (the worker logs it; no personal data, ids and counts only). */
export interface ProcessManagerReport {
  /** After each round trip of a cycle's opening: `opening 17 of 42`. */
  progress?(event: { tenantId: string; cycleId: string }, opened: number, of: number): void;
  /** A command the aggregate refused (e.g. a person took the step first). */
  refused?(
    manager: string,
    command: ProcessCommand,
    outcome: Extract<SendOutcome, { outcome: 'refused' }>,
  ): void;
}

/**
 * Runs every process manager of libs/domain over the log, as one consumer of the runner: each event
 * handed to the managers that react to it, their commands sent before the checkpoint moves on. A
 * crash before the checkpoint commits hands the events over again; the commands' ids make the
 * second sending a no-op.
 */
export function processManagersConsumer(
  sender: ProcessCommandSender,
  report: ProcessManagerReport = {},
  managers: readonly ProcessManager[] = PROCESS_MANAGERS,
  /** Appraisals opened per round trip (the progress step). */
  streamsPerAppend = 10,
): ConsumerHandler {
  const byType = new Map<string, ProcessManager[]>();
  for (const manager of managers)
    for (const type of manager.eventTypes) byType.set(type, [...(byType.get(type) ?? []), manager]);
  return {
    name: PROCESS_MANAGERS_CONSUMER,
    eventTypes: [...byType.keys()],
    async handle(events: RecordedEvent[]): Promise<void> {
      for (const recorded of events) {
        for (const manager of byType.get(recorded.type) ?? []) {
          const received = {
            type: recorded.type,
            data: recorded.data,
            eventId: recorded.eventId,
            tenantId: recorded.metadata.tenantId,
          } as ReceivedEvent<DomainEvent>;
          // Read before each event (one short read: the reader goes on from where it stopped).
          const facts = manager.needs?.length
            ? await sender.openCycles.facts(received.tenantId, recorded.position)
            : NO_FACTS;
          const commands: ProcessCommand[] = manager.react(received as never, facts).map((sent) => ({
            ...sent,
            tenantId: received.tenantId,
            manager: manager.name,
            cause: { eventId: recorded.eventId, correlationId: recorded.metadata.correlationId },
          }));
          if (commands.length === 0) continue;
          // Progress is the opening's (`opening 17 of 42`), not the membership catch-up's.
          const cycleId =
            received.type === 'CycleOpened' && manager.name === 'cycle-opening'
              ? received.data.cycleId
              : undefined;
          const outcomes = await sender.send(commands, {
            streamsPerAppend,
            onProgress: cycleId
              ? (settled, total) =>
                  report.progress?.({ tenantId: received.tenantId, cycleId }, settled, total)
              : undefined,
          });
          outcomes.forEach((outcome, index) => {
            if (outcome.outcome === 'refused') report.refused?.(manager.name, commands[index], outcome);
          });
        }
      }
    },
  };
}
