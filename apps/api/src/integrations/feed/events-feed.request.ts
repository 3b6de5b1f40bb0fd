import { z } from 'zod';
import { isEventType } from '@verity/domain';
import { START } from '@verity/event-store';

/** A position as the feed hands it out (`next`, an SSE `id`): a decimal integer with either event store. */
export const Position = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,39})$/, 'must be a position returned by this API (a decimal integer)');

/** `types=PlanApproved,PlanSubmitted`: known Verity event types, comma-separated. */
export const EventTypeList = z
  .string()
  .max(4000)
  .transform((value) =>
    value
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean),
  )
  .superRefine((types, context) => {
    for (const type of types) {
      if (!isEventType(type))
        context.addIssue({ code: 'custom', message: `"${type}" is not a Verity event type` });
    }
  });

export const EventsFeedQuery = z.strictObject({
  after: Position.default(START),
  types: EventTypeList.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const EventStreamQuery = z.strictObject({
  after: Position.optional(),
  types: EventTypeList.optional(),
  /** Seconds between heartbeat comments while nothing happens. */
  heartbeat: z.coerce.number().int().min(1).max(60).default(15),
});
