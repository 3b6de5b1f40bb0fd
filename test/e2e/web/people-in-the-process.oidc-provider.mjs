// A real OpenID Connect provider (the `oidc-provider` package, in-memory adapter) for the sign-in
// browser test: one public client with PKCE, test accounts whose access tokens (JWT, signed with the
// key the test hands over) carry the tenant, role and employee id the API expects. The package is an
// ES module only, hence a process of its own, started and stopped by the test.
import { URL } from 'node:url';
import Provider from 'oidc-provider';

const {
  OIDC_PORT,
  OIDC_KEY,
  OIDC_CLIENT_ID,
  OIDC_REDIRECT_URI,
  OIDC_POST_LOGOUT_REDIRECT_URI,
  OIDC_RESOURCE,
  OIDC_ACCOUNTS,
} = process.env;
const issuer = `http://127.0.0.1:${OIDC_PORT}`;
/** login name -> { name, tenant, role, employee_id, noRefreshToken? } */
const accounts = JSON.parse(OIDC_ACCOUNTS);
const SCOPE = 'verity';

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      token_endpoint_auth_method: 'none',
      redirect_uris: [OIDC_REDIRECT_URI],
      // RP-initiated logout: the app sends the browser here to end the provider's session, and back.
      post_logout_redirect_uris: [OIDC_POST_LOGOUT_REDIRECT_URI],
      // Refresh tokens: the app renews its access token before expiry without leaving the page.
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [JSON.parse(OIDC_KEY)] },
  cookies: { keys: ['a test provider cookie key'] },
  pkce: { required: () => true, methods: ['S256'] },
  // The app asks for no `offline_access`: a refresh token lives as long as the provider's session.
  // An account marked `noRefreshToken` stands for an issuer that gives the app none.
  issueRefreshToken: async (_ctx, client, code) =>
    client.grantTypeAllowed('refresh_token') && !accounts[code.accountId]?.noRefreshToken,
  claims: { openid: ['sub'], profile: ['name'] },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, name: account.name }) };
  },
  // A first-party client: the person is not asked to consent to the app's own scopes.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    grant.addResourceScope(OIDC_RESOURCE, SCOPE);
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => OIDC_RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: SCOPE,
        audience: OIDC_RESOURCE,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  async extraTokenClaims(_ctx, token) {
    const account = accounts[token.accountId];
    if (!account) return undefined;
    const { tenant, role, employee_id } = account;
    return { tenant, role, ...(employee_id ? { employee_id } : {}) };
  },
  clientBasedCORS: (_ctx, origin, client) =>
    client.redirectUris.some((uri) => new URL(uri).origin === origin),
});

provider.listen(Number(OIDC_PORT), '127.0.0.1', () => console.log(`oidc provider ready at ${issuer}`));
