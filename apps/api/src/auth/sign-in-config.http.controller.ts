import { Inject } from '@nestjs/common';
import { CONFIG, type Config } from '@verity/platform';
import { SignInConfigResponse } from './sign-in-config.response';
import { ApiController, Route } from '../openapi/route';

/**
 * How the web app signs people in, read before anyone is signed in: OpenID Connect (authorization
 * code + PKCE) against the configured issuer, or the development "sign in as" page where that is
 * allowed. Public: it holds no secret (a public client has none).
 */
@ApiController('auth')
export class SignInConfigController {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  @Route('GET', 'config', {
    summary: 'How the web app signs people in: the OpenID Connect issuer and client id, if any',
    answer: SignInConfigResponse,
  })
  signInConfig() {
    const { OIDC_ISSUER, OIDC_CLIENT_ID, NODE_ENV, JWKS_URL } = this.config;
    return {
      oidc: OIDC_ISSUER && OIDC_CLIENT_ID ? { issuer: OIDC_ISSUER, clientId: OIDC_CLIENT_ID } : null,
      // The same rule as the dev sign-in controller's refusal.
      devSignIn: NODE_ENV !== 'production' && !JWKS_URL,
    };
  }
}
