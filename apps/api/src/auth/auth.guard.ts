import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden, Problem, unauthorized } from '../errors/problem';
import { ApiKeysRepository } from './api-keys.repository';
import { FailedAuthenticationLimiter } from './failed-authentication.limiter';
import type { CallerRole, Principal } from './principal';
import { TokenVerifier } from './token-verifier';

export const ROLES_KEY = 'verity:roles';
export const SCOPES_KEY = 'verity:scopes';

export interface AuthenticatedRequest {
  method: string;
  /** The client address (both adapters set it; the socket's peer unless a proxy is trusted). */
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

interface RoutePolicy {
  roles: CallerRole[];
  scopes: string[];
}

/**
 * Authenticates (bearer JWT or API key) and authorises by role and scope. Applied through
 * `@Roles(...)`, never globally, so public routes (health, docs) need no exemption list.
 * Auditors may call every read in their tenant and no write; admins may call everything.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
    private readonly apiKeys: ApiKeysRepository,
    private readonly failures: FailedAuthenticationLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const address = request.ip ?? 'unknown';
    // Refused before the credential is checked, so a blocked client cannot tell a right guess from a wrong one.
    if (this.failures.isBlocked(address)) {
      throw new Problem(
        429,
        'rate-limited',
        'Too many failed authentications from this address; retry in a minute.',
      );
    }
    const principal = await this.authenticate(request);
    if (!principal) {
      if (request.headers['authorization'] || request.headers['x-api-key'])
        this.failures.recordFailure(address);
      throw unauthorized();
    }
    request.principal = principal;

    const { roles, scopes } = this.policyOf(context);
    const isRead = READ_METHODS.has(request.method.toUpperCase());

    // The one write an auditor makes is the one that names them: the second approval of an erasure
    // (EraseSubjectData, docs/adr/0115); every other change is refused, whatever else the route allows.
    if (principal.role === 'auditor' && !isRead && !roles.includes('auditor')) {
      throw forbidden('Auditors read everything in their tenant and change nothing.', 'read-only-role');
    }
    const roleAllowed =
      roles.length === 0 ||
      roles.includes(principal.role) ||
      principal.role === 'admin' ||
      (principal.role === 'auditor' && isRead);
    if (!roleAllowed) {
      throw forbidden(`This operation needs one of the roles: ${roles.join(', ')}.`, 'role-not-allowed');
    }
    const missing = scopes.filter((scope) => !principal.scopes.includes(scope));
    if (principal.role === 'integrator' && missing.length > 0) {
      throw forbidden(`This operation needs the scopes: ${missing.join(', ')}.`, 'scope-missing');
    }
    return true;
  }

  /**
   * A route's roles and scopes, read from its decorators once: they are fixed when the class is
   * declared, and reading the metadata cost every request two lookups through reflect-metadata (ADR 0177).
   */
  private readonly policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  private policyOf(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.policies.get(handler);
    if (!byController) this.policies.set(handler, (byController = new WeakMap()));
    let policy = byController.get(controller);
    if (!policy) {
      const targets = [handler, controller];
      policy = {
        roles: this.reflector.getAllAndOverride<CallerRole[] | undefined>(ROLES_KEY, targets) ?? [],
        scopes: this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_KEY, targets) ?? [],
      };
      byController.set(controller, policy);
    }
    return policy;
  }

  private async authenticate(request: AuthenticatedRequest): Promise<Principal | null> {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const authorization = header('authorization');
    const apiKey = header('x-api-key');
    if (apiKey) return this.apiKeys.authenticate(apiKey.trim());
    if (!authorization) return null;
    const [scheme, credential] = authorization.trim().split(/\s+/, 2);
    if (!credential) return null;
    if (/^bearer$/i.test(scheme)) return this.tokens.verify(credential);
    if (/^apikey$/i.test(scheme)) return this.apiKeys.authenticate(credential);
    return null;
  }
}
