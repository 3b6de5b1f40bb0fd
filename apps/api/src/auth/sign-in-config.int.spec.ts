import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startTestApi } from '../testing/api-test-kit';
import { SignInConfigResponse } from './sign-in-config.response';

/** GET /auth/config: how the web app signs people in, from the configuration, before anyone is signed in. */
describe('the sign-in configuration the web app reads', () => {
  const apps: INestApplication[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));
  const configOf = async (overrides: Record<string, string>) => {
    const { app } = await startTestApi(undefined, overrides);
    apps.push(app);
    const { body } = await request(app.getHttpServer()).get('/auth/config').expect(200);
    // Each answer is the one the OpenAPI document describes (the web client's types come from it).
    expect(SignInConfigResponse.safeParse(body).error?.issues).toBeUndefined();
    return body as unknown;
  };

  it('offers development sign-in only, when no issuer is configured', async () => {
    expect(await configOf({})).toEqual({ oidc: null, devSignIn: true });
  });

  it('names the issuer and client id, and no development sign-in once tokens are verified through a JWKS', async () => {
    expect(
      await configOf({
        OIDC_ISSUER: 'https://id.example.com/realms/verity',
        OIDC_CLIENT_ID: 'verity-web',
        JWKS_URL: 'https://id.example.com/realms/verity/protocol/openid-connect/certs',
        JWT_ISSUER: 'https://id.example.com/realms/verity',
        JWT_AUDIENCE: 'verity-api',
      }),
    ).toEqual({
      oidc: { issuer: 'https://id.example.com/realms/verity', clientId: 'verity-web' },
      devSignIn: false,
    });
  });

  it('gives no issuer without its client id', async () => {
    expect(await configOf({ OIDC_ISSUER: 'https://id.example.com/' })).toEqual({
      oidc: null,
      devSignIn: true,
    });
  });
});
