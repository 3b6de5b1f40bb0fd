import type { EventStore, NewEvent } from '@verity/event-store';
import {
  appraisalHistory,
  seededPick,
  uuidLike,
  workflowPublished,
  type HistoryEvent,
} from '@verity/projections/testing/appraisal-histories';

/** The generated log of bench:projections: appraisal histories as the commands that appended them. */
export interface Command {
  streamId: string;
  events: NewEvent[];
}

/** One appraisal's history as commands (the events one decision produced share a time). */
export function commandsOf(
  tenantId: string,
  appraisalId: string,
  history: HistoryEvent[],
  base: string,
): Command[] {
  const streamId = `appraisal-${tenantId}.${appraisalId}`;
  const commands: Command[] = [];
  let last = '';
  history.forEach(({ event, at, actor }, i) => {
    const data = { ...(event.data as object), appraisalId } as Record<string, unknown>;
    if (event.type === 'AppraisalOpened')
      data.subject = {
        ...(data.subject as object),
        employeeId: `e-${appraisalId}`,
        orgUnitId: `u${Number(appraisalId.slice(1)) % 40}`,
      };
    const newEvent: NewEvent = {
      eventId: uuidLike(`${base}/${streamId}/${i}`),
      type: event.type,
      data,
      metadata: {
        tenantId,
        actor,
        correlationId: `${appraisalId}-${at}`,
        causationId: null,
        schemaVersion: 1,
      },
    };
    if (at === last) commands[commands.length - 1].events.push(newEvent);
    else commands.push({ streamId, events: [newEvent] });
    last = at;
  });
  return commands;
}

/** `count` distinct appraisal histories, each from its own seed. */
export function histories(count: number, seed: number): HistoryEvent[][] {
  return Array.from({ length: count }, (_, i) =>
    appraisalHistory({ appraisalId: 'x', employeeId: 'x', orgUnitId: 'x', pick: seededPick(seed + i) }),
  );
}

/** The sales workflow each tenant's appraisals are pinned to. */
export async function publishWorkflows(store: EventStore, tenants: string[]): Promise<void> {
  const published = workflowPublished();
  for (const tenantId of tenants)
    await store.append(
      `workflow-${tenantId}.sales`,
      [
        {
          eventId: uuidLike(`workflow/${tenantId}`),
          type: published.type,
          data: published.data,
          metadata: {
            tenantId,
            actor: { id: 'u-po', role: 'process-owner' },
            correlationId: 'publish',
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'any' },
    );
}
