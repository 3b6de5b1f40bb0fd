import { z } from 'zod';
import { listOf } from '../../openapi/answer-pieces';

/** One event type and version of the catalogue (GET /events/schemas). */
export const CatalogueEntryResponse = z.strictObject({
  type: z.string(),
  version: z.number().int(),
  /** The CloudEvents `type` deliveries and the feed carry for this version. */
  cloudEventType: z.string(),
  aggregate: z.string().nullable(),
  /** True for the version new events are written in; older ones are upcast on read. */
  current: z.boolean(),
  /** The event's data as JSON Schema (draft 2020-12). */
  schema: z.record(z.string(), z.unknown()),
});

export const CatalogueResponse = listOf(CatalogueEntryResponse);
