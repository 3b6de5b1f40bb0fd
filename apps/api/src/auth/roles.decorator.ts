import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { AuthGuard, AuthenticatedRequest, ROLES_KEY, SCOPES_KEY } from './auth.guard';
import type { CallerRole, Principal, Scope } from './principal';

/**
 * Requires an authenticated caller holding one of `roles` (none listed: any role). Admins pass
 * every check; auditors pass every read and no write. Finer checks (a manager and *their*
 * reports) happen in the domain with the org relation the API computes. Also honours
 * `Idempotency-Key` (IdempotencyInterceptor): only an authenticated caller has keys.
 */
export function Roles(...roles: CallerRole[]): MethodDecorator & ClassDecorator {
  return applyDecorators(RolesHoldingTheirOwnClaim(...roles), UseInterceptors(IdempotencyInterceptor));
}

/**
 * `@Roles` for a route whose handler honours `Idempotency-Key` itself through
 * `IdempotentRequests.handle` (the command routes): no interceptor chain per request (docs/adr/0171).
 */
export function RolesHoldingTheirOwnClaim(...roles: CallerRole[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    UseGuards(AuthGuard),
    ApiBearerAuth(),
    ApiSecurity('apiKey'),
  );
}

/** Scopes an integrator's API key must carry in addition to the role (e.g. `events:read`). */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(SCOPES_KEY, scopes);

/** The authenticated caller (set by the guard `@Roles` installs). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // Only reachable when a route forgot @Roles: fail closed rather than act without a tenant.
  if (!principal) throw new Error('CurrentPrincipal used on a route without @Roles()');
  return principal;
});
