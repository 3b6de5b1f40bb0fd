import { seesPersonalData, type Viewer } from '@verity/domain';
import { streamName, type EventStore, type RecordedEvent } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import type { Clock } from '../../clock/clock';
import type { OrgRelations } from '../../directory/org-relations';
import { notFound } from '../../errors/problem';

/** Who may read a person's weeks or days besides HR, process owners, auditors and admins: the person and their managers. */
const READING_RELATIONS = new Set(['self', 'manager', 'skip-level']);
const READ_ANY = new Set(['hr', 'process-owner', 'auditor', 'admin']);

/**
 * The caller reading a person's weekly or daily plans (ADR 0154: days read as weeks do). Someone
 * else's plans read as absent, as an appraisal does: `absent` names what is not shown.
 */
export async function planReader(
  relations: OrgRelations,
  clock: Clock,
  me: Principal,
  employeeId: string,
  absent: string,
): Promise<Viewer> {
  const viewer = await relations.viewerOf(me, employeeId, clock.now().toISOString());
  if (!READ_ANY.has(me.role) && !READING_RELATIONS.has(viewer.relation))
    throw notFound(`No ${absent} of "${employeeId}" to show.`);
  return viewer;
}

/** A plan's event data with its `pii` as the visibility rule lets this viewer read it. */
export function seenData(viewer: Viewer, event: RecordedEvent): Record<string, unknown> {
  const data = event.data as Record<string, unknown>;
  const visible = seesPersonalData(viewer, { type: event.type, data, actorId: event.metadata.actor.id });
  return visible ? data : { ...data, pii: 'redacted' };
}

/** Each plan's events, in the order of `planIds` (none for a plan not made): one round trip. */
export async function readPlans(
  store: EventStore,
  tenantId: string,
  category: string,
  planIds: readonly string[],
): Promise<RecordedEvent[][]> {
  const streamIds = planIds.map((planId) => streamName(category, tenantId, planId));
  const streams = await store.readStreams(streamIds, { tenantId });
  return streamIds.map((streamId) => streams.get(streamId) ?? []);
}
