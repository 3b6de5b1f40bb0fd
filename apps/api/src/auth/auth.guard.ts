import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden, unauthorized } from '../errors/problem';
import { ApiKeysRepository } from './api-keys.repository';
import type { CallerRole, Principal } from './principal';
import { TokenVerifier } from './token-verifier';

export const ROLES_KEY = 'verity:roles';
export const SCOPES_KEY = 'verity:scopes';

export interface AuthenticatedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request);
    if (!principal) throw unauthorized();
    request.principal = principal;

    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<CallerRole[] | undefined>(ROLES_KEY, targets) ?? [];
    const scopes = this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_KEY, targets) ?? [];
    const isRead = READ_METHODS.has(request.method.toUpperCase());

    if (principal.role === 'auditor' && !isRead) {
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
