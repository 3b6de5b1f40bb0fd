import { ForbiddenError } from './errors';
import type { DomainContext, Relation, Role } from './context';

/** Refuses unless the actor holds one of the roles. */
export function requireRole(ctx: DomainContext, roles: readonly Role[], action: string): void {
  if (!roles.includes(ctx.actor.role))
    throw new ForbiddenError(
      'role-not-allowed',
      `${action} needs the role ${roles.join(' or ')}, not "${ctx.actor.role}"`,
      {
        role: ctx.actor.role,
        allowed: roles,
      },
    );
}

/**
 * Refuses unless the actor has one of the roles in one of the relations to the subject, or holds
 * one of `anyRelationRoles` (e.g. HR acts on anyone's appraisal).
 */
export function requireRelation(
  ctx: DomainContext,
  allowed: { roles: readonly Role[]; relations: readonly Relation[] },
  anyRelationRoles: readonly Role[],
  action: string,
): void {
  if (anyRelationRoles.includes(ctx.actor.role)) return;
  const relation = ctx.relation ?? 'none';
  if (allowed.roles.includes(ctx.actor.role) && allowed.relations.includes(relation)) return;
  throw new ForbiddenError(
    'relation-not-allowed',
    `${action} is for ${allowed.relations.join(' or ')} (as ${allowed.roles.join('/')})` +
      (anyRelationRoles.length ? ` or ${anyRelationRoles.join('/')}` : '') +
      `; the actor is "${ctx.actor.role}" with relation "${relation}"`,
    { role: ctx.actor.role, relation },
  );
}
