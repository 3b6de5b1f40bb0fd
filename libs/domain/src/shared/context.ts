/** The roles a credential can carry (DESIGN.md, security). */
export const CALLER_ROLES = [
  'employee',
  'manager',
  'hr',
  'process-owner',
  'auditor',
  'integrator',
  'admin',
] as const;
export type CallerRole = (typeof CALLER_ROLES)[number];

/** Roles an actor can hold: a caller's, or `system`, the worker acting on timers and reactions (never issued to callers). */
export const ROLES = [...CALLER_ROLES, 'system'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The actor's position relative to the subject of a command (the appraisee), computed by the API
 * from the directory as of `now` (see `relationOf`). `peer`: same manager.
 */
export const RELATIONS = ['self', 'manager', 'skip-level', 'peer', 'none'] as const;
export type Relation = (typeof RELATIONS)[number];

export interface ActorRef {
  /** The user id (as in event metadata). */
  id: string;
  role: Role;
  /** The directory employee this user is, when any. */
  employeeId?: string;
}

/**
 * Everything a decision needs from the outside world, passed in so decide stays pure:
 * the time, who acts, the tenant, and new ids (the handler supplies e.g. `randomUUID`; tests a list).
 */
export interface DomainContext {
  /** ISO-8601 instant, e.g. `2026-02-03T09:00:00.000Z`. */
  now: string;
  tenantId: string;
  actor: ActorRef;
  /** The actor's relation to the subject; `none` when omitted. */
  relation?: Relation;
  newId: () => string;
}

/** A `newId` that hands out the given ids in order and fails loudly when they run out (tests, replays). */
export function idsFrom(ids: readonly string[]): () => string {
  let next = 0;
  return () => {
    if (next >= ids.length) throw new Error(`idsFrom: only ${ids.length} ids were provided`);
    return ids[next++];
  };
}
