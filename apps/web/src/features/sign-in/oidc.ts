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
async function userManager(oidc: NonNullable<SignInConfig['oidc']>) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: oidc.issuer,
    client_id: oidc.clientId,
    redirect_uri: `${location.origin}/app/callback`,
    response_type: 'code',
    scope: 'openid profile',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    // Renewal is started by `keepRenewing`, and only with a refresh token: no iframe (ADR 0135).
    automaticSilentRenew: false,
    // A minute before the access token expires, its refresh token buys a new one (ADR 0135).
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
 * refresh token for a new one and `onRenewed` gets the session with it. Without a refresh token (an
 * issuer that gives none), or when the issuer refuses it, the token is kept until it expires; then
 * `onExpired` ends the session and the person is asked to sign in again (ADR 0143). Returns the stop.
 */
export async function keepRenewing(
  oidc: NonNullable<SignInConfig['oidc']>,
  onRenewed: (session: Session) => void,
  onExpired: () => void,
): Promise<() => void> {
  const manager = await userManager(oidc);
  const renewed = (user: Parameters<typeof sessionOf>[1]) => onRenewed(sessionOf(oidc, user));
  manager.events.addUserLoaded(renewed);
  manager.events.addAccessTokenExpired(onExpired);
  // Reading the stored user arms the expiry timers; only a refresh token starts the renewal.
  const user = await manager.getUser();
  if (user?.refresh_token) manager.startSilentRenew();
  return () => {
    manager.stopSilentRenew();
    manager.events.removeUserLoaded(renewed);
    manager.events.removeAccessTokenExpired(onExpired);
  };
}

/**
 * Ends the person's session at the issuer too (RP-initiated logout): the browser goes to the
 * issuer's `end_session_endpoint` with the id token as hint and comes back to the sign-in page.
 * `forget` clears the app's own session first, once the id token is read. False, having done
 * nothing, when the issuer offers no end-session endpoint (then only the app's session ends).
 */
export async function signOutAtIssuer(
  oidc: NonNullable<SignInConfig['oidc']>,
  forget: () => void,
): Promise<boolean> {
  const manager = await userManager(oidc);
  const user = await manager.getUser();
  const endpoint = await manager.metadataService.getEndSessionEndpoint().catch(() => undefined);
  if (!endpoint) return false;
  forget();
  await manager.signoutRedirect({
    id_token_hint: user?.id_token,
    post_logout_redirect_uri: `${location.origin}/app/sign-in`,
  });
  return true;
}
