import { api, ok, type Answer } from '../../api/client';
import type { Role, Session } from '../../app/session';

/** How this installation signs people in (GET /auth/config). */
export type SignInConfig = Answer<'/auth/config'>;

export const readSignInConfig = () => ok(api.GET('/auth/config'));

/**
 * The issuer's client for this app: authorization code with PKCE (oidc-client-ts's default for
 * `code`), the state and verifier kept in this tab's sessionStorage. Loaded only when someone signs
 * in through the issuer: the first load of a signed-in screen does not carry it.
 */
async function userManager(oidc: NonNullable<SignInConfig['oidc']>, renew = false) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: oidc.issuer,
    client_id: oidc.clientId,
    redirect_uri: `${location.origin}/app/callback`,
    response_type: 'code',
    scope: 'openid profile',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    // A minute before the access token expires, its refresh token buys a new one (ADR 0135).
    automaticSilentRenew: renew,
    accessTokenExpiringNotificationTimeInSeconds: 60,
  });
}

/** Leaves for the issuer's sign-in page; it comes back to /app/callback with a code. */
export async function startOidcSignIn(oidc: NonNullable<SignInConfig['oidc']>): Promise<void> {
  await (await userManager(oidc)).signinRedirect();
}

/** The claims a Verity token carries (the API checks them again, with the signature). */
interface VerityClaims {
  sub: string;
  tenant: string;
  role: Role;
  employee_id?: string;
  name?: string;
}

/** Reads a JWT's payload, unverified: only to know whom the screens are for; the API verifies it. */
function claimsOf(token: string): VerityClaims {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as VerityClaims;
}

/**
 * Exchanges the code (with the PKCE verifier) for tokens. The access token is the bearer: a JWT the
 * API verifies through the issuer's keys (JWKS_URL), carrying tenant, role and employee id.
 */
export async function finishOidcSignIn(oidc: NonNullable<SignInConfig['oidc']>): Promise<Session> {
  return sessionOf(oidc, await (await userManager(oidc)).signinRedirectCallback());
}

function sessionOf(
  oidc: NonNullable<SignInConfig['oidc']>,
  user: { access_token: string; profile: { name?: unknown } },
): Session {
  const claims = claimsOf(user.access_token);
  return {
    token: user.access_token,
    tenant: claims.tenant,
    role: claims.role,
    employeeId: claims.employee_id ?? null,
    name: (user.profile.name as string | undefined) ?? claims.name ?? claims.sub,
    oidc,
  };
}

/**
 * Keeps an issuer's session alive: before the access token expires, oidc-client-ts trades the
 * refresh token for a new one and `onRenewed` gets the session with it. A renewal that fails (an
 * issuer that gives no refresh token, or refuses it) leaves the token as it is until it expires;
 * then the API answers 401 and the person signs in again. Returns the stop.
 */
export async function keepRenewing(
  oidc: NonNullable<SignInConfig['oidc']>,
  onRenewed: (session: Session) => void,
): Promise<() => void> {
  const manager = await userManager(oidc, true);
  const renewed = (user: Parameters<typeof sessionOf>[1]) => onRenewed(sessionOf(oidc, user));
  manager.events.addUserLoaded(renewed);
  return () => {
    manager.stopSilentRenew();
    manager.events.removeUserLoaded(renewed);
  };
}
