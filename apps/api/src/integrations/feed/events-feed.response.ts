import { z } from 'zod';
import { Timestamp } from '../../openapi/answer-pieces';

/**
 * A CloudEvents 1.0 event in structured JSON mode (`VerityCloudEvent`), as the feed, the stream and
 * webhook deliveries carry it; `data` is the event's own (see GET /events/schemas), without `pii`
 * unless the credential holds the `pii` scope.
 */
export const CloudEventResponse = z.strictObject({
  specversion: z.literal('1.0'),
  id: z.string(),
  /** `/tenants/<tenantId>`. */
  source: z.string(),
  /** `verity.<Type>.v<version>`. */
  type: z.string(),
  /** The stream the event belongs to. */
  subject: z.string(),
  time: Timestamp,
  datacontenttype: z.literal('application/json'),
  /** The event's global position: pass it back as `after` or `Last-Event-ID`. */
  position: z.string(),
  data: z.record(z.string(), z.unknown()),
});

/** GET /events: a page of the tenant's events and where the next page starts. */
export const EventsPageResponse = z.strictObject({
  events: z.array(CloudEventResponse),
  /** The position to ask from next (`after`); the same as sent when nothing newer is readable yet. */
  next: z.string(),
});

/** The data of the stream's last message (`event: end`): the credential ran out or was revoked. */
export const StreamEndData = z.strictObject({ reason: z.enum(['credential-expired', 'credential-revoked']) });
