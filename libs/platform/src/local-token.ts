import type { Config } from './config';
import { jose } from './jose';

/** What signs the product's own tokens: JWT_SECRET, with the issuer and audience the API requires (ADR 0175). */
export interface LocalSigning {
  secret: string;
  issuer: string;
  audience: string;
}

export const localSigning = (
  config: Pick<Config, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>,
): LocalSigning => ({
  secret: config.JWT_SECRET,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
});

/** The claims of a token the product mints itself (development sign-in, `npm run token`, the demo seed, tests). */
export interface LocalTokenClaims {
  tenant: string;
  role: string;
  subject: string;
  employeeId?: string;
  scope?: string;
  /** jose's time span (`'8h'`, `'-1m'`) or seconds. */
  expiresIn: string | number;
}

/** An HS256 bearer token signed with JWT_SECRET: the one way the product mints a token. */
export function signLocalToken(signing: LocalSigning, claims: LocalTokenClaims): Promise<string> {
  return new jose.SignJWT({
    tenant: claims.tenant,
    role: claims.role,
    ...(claims.employeeId ? { employee_id: claims.employeeId } : {}),
    ...(claims.scope ? { scope: claims.scope } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.subject)
    .setIssuer(signing.issuer)
    .setAudience(signing.audience)
    .setIssuedAt()
    .setExpirationTime(typeof claims.expiresIn === 'number' ? `${claims.expiresIn}s` : claims.expiresIn)
    .sign(new TextEncoder().encode(signing.secret));
}
