import { withoutAnonymousRaters } from '@verity/domain';
import type { RecordedEvent } from '@verity/event-store';
import { cloudEventType, upcast } from './event-versions';

/** A CloudEvents 1.0 event in structured JSON mode, as deliveries and the feed carry it. */
export interface VerityCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Extension attribute: the event's global position (pass it back as `after` / `Last-Event-ID`). */
  position: string;
  data: unknown;
}

/** Removes every `pii` field, at any depth, from event data (personal data lives only there). */
export function withoutPii(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPii);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== 'pii')
        .map(([key, child]) => [key, withoutPii(child)]),
    );
  }
  return value;
}

/** `source` names the tenant the event belongs to. */
export const tenantSource = (tenantId: string) => `/tenants/${tenantId}`;

/**
 * The CloudEvents envelope of a stored event: `id` = event id, `source` = the tenant, `type` =
 * `verity.<Type>.v<version>` after upcasting, `subject` = the stream, `data` without `pii` and
 * without anonymous raters unless the reader holds the `pii` scope.
 */
export function toCloudEvent(event: RecordedEvent, options: { includePii: boolean }): VerityCloudEvent {
  const stored = Number(event.metadata.schemaVersion ?? 1);
  const { version, data } = upcast(event.type, stored, event.data);
  return {
    specversion: '1.0',
    id: event.eventId,
    source: tenantSource(event.metadata.tenantId),
    type: cloudEventType(event.type, version),
    subject: event.streamId,
    time: event.recordedAt.toISOString(),
    datacontenttype: 'application/json',
    position: event.position,
    // Without the privileged scope neither personal data nor an anonymous rater leaves (ADR 0112).
    data: options.includePii ? data : withoutPii(withoutAnonymousRaters(event.type, data)),
  };
}

/** The Verity event type a CloudEvents `type` names (`verity.PlanApproved.v1` → `PlanApproved`). */
export function eventTypeOf(cloudType: string): string | null {
  return /^verity\.([A-Za-z0-9]+)\.v\d+$/.exec(cloudType)?.[1] ?? null;
}
