import { z } from 'zod';
import { isEventType } from '@verity/domain';
import { Position } from '../feed/events-feed.request';

const EventTypes = z
  .array(z.string().min(1).max(100))
  .max(200)
  .superRefine((types, context) => {
    types.forEach((type, index) => {
      if (!isEventType(type)) {
        context.addIssue({ code: 'custom', path: [index], message: `"${type}" is not a Verity event type` });
      }
    });
  });

export const CreateSubscriptionRequest = z.strictObject({
  url: z.string().min(1).max(2000),
  /** Event types to deliver; empty or omitted: all. */
  eventTypes: EventTypes.default([]),
  /** Deliver `pii` fields too; needs the `pii` scope. */
  includePii: z.boolean().default(false),
});

export const UpdateSubscriptionRequest = z
  .strictObject({
    url: z.string().min(1).max(2000).optional(),
    eventTypes: EventTypes.optional(),
    includePii: z.boolean().optional(),
    status: z.enum(['active', 'paused']).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');

/** Action endpoints take an empty object (room for options later, refused when unknown). */
export const NoOptions = z.strictObject({});

export const ReplayRequest = z.strictObject({
  /** Replay the events after this position (`0`: from the beginning of the log). */
  after: Position,
});

export const DeliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'succeeded', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Paging: deliveries with a smaller id than this one. */
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'must be a delivery id')
    .optional(),
});
