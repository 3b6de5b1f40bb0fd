import type { OpenedAppraisal } from '../appraisal/appraisal.state';
import { dec, roundTo, sum } from '../scoring/decimal';
import type { RaterGroup, Rounding } from '../workflow/workflow-definition.schema';
import type { Relation, Role } from '../shared/context';

/**
 * Who is reading: role, the user id event metadata records as `actor.id`, the scopes of the
 * credential, and the relation to the appraisee (self, manager chain, peer, none).
 */
export interface Viewer {
  role: Role;
  userId: string;
  scopes: readonly string[];
  relation: Relation;
}

/** Roles that see every person's words and every rater (HR partners, admins). */
const SEES_ALL: readonly Role[] = ['hr', 'admin'];
const CLOSE: readonly Relation[] = ['self', 'manager', 'skip-level'];

/** The `pii` scope is the privileged scope: an integrator or auditor with it sees personal data and raters. */
const privileged = (viewer: Pick<Viewer, 'role' | 'scopes'>) =>
  SEES_ALL.includes(viewer.role) || viewer.scopes.includes('pii');

/**
 * Whether the rater of an anonymous group, and each single rating of it, may reach this viewer.
 * The appraisee, the manager chain and peers see anonymous groups only as averages; auditors keep
 * the trail (who rated) without being in the appraisal's line.
 */
export function seesAnonymousRaters(viewer: Viewer): boolean {
  return privileged(viewer) || viewer.role === 'auditor';
}

/** Roles that read every appraisal of the tenant: HR partners, admins, the process owner and the auditor (the trail). */
const READS_EVERY_APPRAISAL: readonly Role[] = ['hr', 'admin', 'process-owner', 'auditor'];

/**
 * Whether the viewer may know an appraisal exists: the appraisee, their manager chain, and the
 * roles that read every appraisal. Every route that reads or lists appraisals (the appraisal, its
 * score, a cycle's list) asks this; to anyone else the appraisal reads as absent.
 */
export function seesAppraisal(viewer: Pick<Viewer, 'role' | 'relation'>): boolean {
  return readsEveryAppraisal(viewer.role) || CLOSE.includes(viewer.relation);
}

/** Whether the role reads every appraisal without asking the directory for a relation (lists, reports). */
export function readsEveryAppraisal(role: Role): boolean {
  return READS_EVERY_APPRAISAL.includes(role);
}

/**
 * Whether a person's name (the directory's `pii`) reaches the viewer: the person, HR, admins and
 * the `pii` scope, and the managers of the person's unit (their manager chain). Peers, the process
 * owner, auditors and integrators without `pii` see ids only.
 */
export function seesName(viewer: Pick<Viewer, 'role' | 'scopes' | 'relation'>): boolean {
  return privileged(viewer) || CLOSE.includes(viewer.relation);
}

/** An appraisal event as the rule looks at it: its type, data and who recorded it. */
export interface VisibleEvent {
  type: string;
  data: unknown;
  actorId: string;
}

const isAnonymousRating = (event: VisibleEvent) =>
  event.type === 'RatingSubmitted' && (event.data as { anonymous?: boolean }).anonymous === true;

/**
 * Whether the personal data (`pii`) of an appraisal event reaches this viewer. One rule for every
 * read route:
 * - the author always reads their own words;
 * - HR, admins and credentials with the `pii` scope read everyone's;
 * - the appraisee and their manager chain read the words exchanged on the appraisal (plan comments,
 *   review text, annotations, reasons addressed to them), except an anonymous rater's comment;
 * - everyone else (process owner, auditor, peers, integrators without `pii`) reads none.
 */
export function seesPersonalData(viewer: Viewer, event: VisibleEvent): boolean {
  if (event.actorId === viewer.userId) return true;
  if (privileged(viewer)) return true;
  if (!CLOSE.includes(viewer.relation)) return false;
  return !isAnonymousRating(event);
}

/**
 * The users who rated the appraisal in an anonymous group. Every event they recorded on it (the
 * rating, and the step its command completed) hides its actor, or the history would name them.
 */
export function anonymousRatersOf(events: readonly VisibleEvent[]): ReadonlySet<string> {
  return new Set(events.filter(isAnonymousRating).map((event) => event.actorId));
}

/** Whether the event's actor may be named to the viewer (an anonymous rater is not, but to themselves). */
export function seesActor(
  viewer: Viewer,
  event: VisibleEvent,
  anonymousRaters: ReadonlySet<string>,
): boolean {
  return (
    !(isAnonymousRating(event) || anonymousRaters.has(event.actorId)) ||
    event.actorId === viewer.userId ||
    seesAnonymousRaters(viewer)
  );
}

/**
 * Event data as the viewer may read it: `pii` replaced by `"redacted"` when it does not reach them;
 * an event of an anonymous rater they may not see names nobody (`by`), and the rating itself leaves
 * out its rater and its single rating.
 */
export function visibleEventData(
  viewer: Viewer,
  event: VisibleEvent,
  anonymousRaters: ReadonlySet<string>,
): unknown {
  let data = event.data;
  if (!data || typeof data !== 'object') return data;
  if (!seesActor(viewer, event, anonymousRaters)) {
    const record = data as Record<string, unknown>;
    data = {
      ...record,
      ...('by' in record ? { by: 'anonymous' } : {}),
      ...(isAnonymousRating(event) ? { raterId: 'anonymous', rating: 'withheld' } : {}),
    };
  }
  if ('pii' in (data as object) && !seesPersonalData(viewer, event))
    data = { ...(data as Record<string, unknown>), pii: 'redacted' };
  return data;
}

/** A rater group as the appraisee and the manager chain see it: how many responded, the average once the minimum is met. */
export interface RatingGroupView {
  group: RaterGroup;
  anonymous: true;
  responses: number;
  minResponses: number;
  average: string | null;
}

/**
 * The appraisal's ratings as the viewer may read them: anonymous groups folded into one line each
 * (responses, and the average only once `minResponses` is met), the rest as recorded.
 */
export function visibleRatings(
  viewer: Viewer,
  ratings: OpenedAppraisal['ratings'],
  groups: readonly { group: RaterGroup; anonymous: boolean; minResponses: number }[],
  rounding: Rounding,
): (OpenedAppraisal['ratings'][number] | RatingGroupView)[] {
  if (seesAnonymousRaters(viewer)) return ratings;
  const anonymous = new Set(groups.filter((g) => g.anonymous).map((g) => g.group));
  const named = ratings.filter((rating) => !anonymous.has(rating.group) || rating.raterId === viewer.userId);
  const folded = groups
    .filter((g) => g.anonymous)
    .map((g): RatingGroupView => {
      const given = ratings.filter((rating) => rating.group === g.group).map((rating) => rating.rating);
      return {
        group: g.group,
        anonymous: true,
        responses: given.length,
        minResponses: g.minResponses,
        average:
          given.length > 0 && given.length >= g.minResponses
            ? roundTo(sum(given.map((rating) => dec(rating))).dividedBy(given.length), rounding)
            : null,
      };
    });
  return [...named, ...folded];
}

/**
 * Event data for a reader with no place in the appraisal and no privileged scope (the feed, SSE and
 * webhooks without `pii`), one event at a time: an anonymous rating without its rater and rating,
 * a completed peer-rating step without who completed it.
 */
export function withoutAnonymousRaters(type: string, data: unknown): unknown {
  if (!data || typeof data !== 'object') return data;
  const record = data as Record<string, unknown>;
  if (type === 'RatingSubmitted' && record.anonymous === true)
    return { ...record, raterId: 'anonymous', rating: 'withheld' };
  if (type === 'StepCompleted' && String(record.stepKey).startsWith('peer-rating'))
    return { ...record, by: 'anonymous' };
  return data;
}
