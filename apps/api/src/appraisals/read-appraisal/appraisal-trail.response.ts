import { z } from 'zod';
import { Timestamp } from '../../openapi/answer-pieces';

/** Who acted, as the viewer may see them: an anonymous rater is `{ id: 'anonymous', role }`. */
const Actor = z.object({ id: z.string(), role: z.string() });

/** An appraisal's trail at its revision: one line per event, oldest first. */
const trailOf = <Line extends z.ZodType>(line: Line) =>
  z.strictObject({ appraisalId: z.string(), revision: z.string(), items: z.array(line) });

/** GET /appraisals/{appraisalId}/history. */
export const AppraisalHistoryResponse = trailOf(
  z.strictObject({
    revision: z.string(),
    type: z.string(),
    recordedAt: Timestamp,
    actor: Actor,
  }),
);

/**
 * GET /appraisals/{appraisalId}/events: the events with their metadata. `data` is the event's own
 * (docs/events.md), its `pii` the string `"redacted"` for whoever may not read it.
 */
export const AppraisalEventsResponse = trailOf(
  z.strictObject({
    eventId: z.string(),
    type: z.string(),
    revision: z.string(),
    position: z.string(),
    recordedAt: Timestamp,
    actor: Actor,
    correlationId: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
);
