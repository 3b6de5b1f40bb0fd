import { Inject, Injectable } from '@nestjs/common';
import type { JWTVerifyGetKey } from 'jose';
import { jose, CONFIG, type Config } from '@verity/platform';
import { Principal, TokenClaims } from './principal';

const MAX_CACHED_TOKENS = 10_000;
/**
 * How long a verified token is taken on trust before its signature is checked again (ADR 0168): a
 * token whose key has left the JWKS is refused within this plus JWKS_CACHE_MAX_AGE_SECONDS.
 */
export const TOKEN_RECHECK_MS = 60_000;
/** Clocks differ a little between the token issuer and us; an `iat` further ahead is refused. */
const CLOCK_SKEW_SECONDS = 60;

/** Verifies JWT bearer tokens: HS256 with JWT_SECRET locally, or the keys at JWKS_URL when set. */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  private readonly maxLifetimeSeconds: number;
  /** A token must name us as its audience and our issuer: the same keys sign other applications' tokens (ADR 0175). */
  private readonly issuer: string;
  private readonly audience: string;

  constructor(@Inject(CONFIG) config: Config) {
    this.maxLifetimeSeconds = config.JWT_MAX_LIFETIME_SECONDS;
    this.issuer = config.JWT_ISSUER;
    this.audience = config.JWT_AUDIENCE;
    if (config.JWKS_URL) {
      this.key = jose.createRemoteJWKSet(new URL(config.JWKS_URL), {
        cacheMaxAge: config.JWKS_CACHE_MAX_AGE_SECONDS * 1000,
      });
      this.algorithms = ['RS256', 'ES256', 'EdDSA', 'PS256'];
    } else {
      this.key = new TextEncoder().encode(config.JWT_SECRET);
      this.algorithms = ['HS256'];
    }
  }

  /**
   * Tokens already verified, keyed by the whole token (so an entry only ever answers for the token
   * whose claims, tenant included, it holds): a token is re-presented on every request of a session.
   */
  private readonly verified = new Map<
    string,
    { principal: Principal; expiresAt: number; recheckAt: number }
  >();

  /** The principal, or null when the token is malformed, expired, badly signed, for someone else or lacks a claim. */
  async verify(token: string): Promise<Principal | null> {
    const now = Date.now();
    const hit = this.verified.get(token);
    if (hit && hit.expiresAt > now && hit.recheckAt > now) return hit.principal;
    if (hit) this.verified.delete(token);
    const principal = await this.verifySignature(token);
    if (principal) {
      if (this.verified.size >= MAX_CACHED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { ...principal, recheckAt: now + TOKEN_RECHECK_MS });
    }
    return principal?.principal ?? null;
  }

  private async verifySignature(token: string): Promise<{ principal: Principal; expiresAt: number } | null> {
    try {
      const { payload } = await jose.jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        requiredClaims: ['exp'],
        issuer: this.issuer,
        audience: this.audience,
      });
      const claims = TokenClaims.safeParse(payload);
      if (!claims.success) return null;
      if (!this.withinLifetime(payload.exp as number, payload.iat)) return null;
      const principal: Principal = {
        tenantId: claims.data.tenant,
        subject: claims.data.sub,
        role: claims.data.role,
        employeeId: claims.data.employee_id,
        scopes: claims.data.scope?.split(' ').filter(Boolean) ?? [],
        via: 'jwt',
        expiresAt: (payload.exp as number) * 1000,
      };
      return { principal, expiresAt: (payload.exp as number) * 1000 };
    } catch {
      return null;
    }
  }

  /** `exp` at most JWT_MAX_LIFETIME_SECONDS ahead (and after `iat`), `iat` not in the future. */
  private withinLifetime(exp: number, iat: unknown): boolean {
    const now = Date.now() / 1000;
    if (exp - now > this.maxLifetimeSeconds) return false;
    if (iat === undefined) return true;
    if (typeof iat !== 'number' || !Number.isFinite(iat)) return false;
    return iat <= now + CLOCK_SKEW_SECONDS && exp - iat <= this.maxLifetimeSeconds;
  }
}
