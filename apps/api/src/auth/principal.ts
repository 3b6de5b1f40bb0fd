import { z } from 'zod';
import { CALLER_ROLES, type CallerRole } from '@verity/domain';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '@verity/event-store';

export { CALLER_ROLES, type CallerRole } from '@verity/domain';

/** Scopes an API key (or a token's `scope` claim) may grant. */
export const SCOPES = ['events:read', 'webhooks:manage', 'directory:write', 'actuals:write', 'pii'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling. The tenant comes from the credential only, never from a body, path or header. */
export interface Principal {
  tenantId: string;
  /** The user (or API key) id, as recorded in event metadata `actor.id`. */
  subject: string;
  role: CallerRole;
  /** The directory employee this user is, when any (drives the org-relation checks). */
  employeeId?: string;
  scopes: string[];
  via: 'jwt' | 'api-key';
  /** When the credential stops being valid (ms since the epoch): a token's `exp`; none for API keys. */
  expiresAt?: number;
}

const IdClaim = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

/** A tenant id never holds a `.`: it ends the tenant in stream names (docs/adr/0070). */
export const TenantIdClaim = z.string().regex(TENANT_ID_PATTERN, TENANT_ID_RULE);

/** The claims a Verity token must carry (checked after the signature). */
export const TokenClaims = z.object({
  sub: IdClaim,
  tenant: TenantIdClaim,
  role: z.enum(CALLER_ROLES),
  employee_id: IdClaim.optional(),
  scope: z.string().max(1000).optional(),
});
