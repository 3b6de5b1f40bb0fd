import { z } from 'zod';

/** GET /auth/config: the OpenID Connect issuer and public client id (null without both), and whether dev sign-in is on. */
export const SignInConfigResponse = z.strictObject({
  oidc: z.strictObject({ issuer: z.string(), clientId: z.string() }).nullable(),
  devSignIn: z.boolean(),
});
