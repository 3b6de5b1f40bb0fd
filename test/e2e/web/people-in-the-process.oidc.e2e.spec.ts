import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { jose } from '@verity/platform';
import { SCREENSHOTS, seriousViolations, type Chromium } from '../../support/browser';
import { eventually } from '../../support/eventually';
import { freePort } from '../../support/processes';
import { startWebTenant, type WebTenant } from '../../support/web-tenant';
import { en } from '../../../apps/web/src/i18n/en';

/**
 * Production sign-in in Chromium: a real OpenID Connect provider (the `oidc-provider` package,
 * started by this test) issues the tokens; the API verifies them through the provider's JWKS, as
 * in production, and its development sign-in is off. Ann signs in on the provider's own login
 * form (authorization code + PKCE) and lands on her appraisal.
 */
const TENANT = `oidc-${randomUUID().slice(0, 8)}`;
const CLIENT_ID = 'verity-web';
const KID = 'test-key-1';

describe('signing in through an OpenID Connect provider, in a real browser', () => {
  let web: WebTenant;
  let provider: ChildProcess;
  let providerOutput = '';
  let base: string;
  let issuer: string;
  let browser: Chromium;

  beforeAll(async () => {
    const keys = await jose.generateKeyPair('RS256', { extractable: true });
    const privateKey = keys.privateKey as CryptoKey;
    const [port, providerPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    issuer = `http://127.0.0.1:${providerPort}`;
    provider = spawn(process.execPath, [path.join(__dirname, 'people-in-the-process.oidc-provider.mjs')], {
      env: {
        ...process.env,
        OIDC_PORT: String(providerPort),
        OIDC_KEY: JSON.stringify({
          ...(await jose.exportJWK(privateKey)),
          kid: KID,
          alg: 'RS256',
          use: 'sig',
        }),
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_REDIRECT_URI: `${base}/app/callback`,
        OIDC_POST_LOGOUT_REDIRECT_URI: `${base}/app/sign-in`,
        OIDC_RESOURCE: `${base}/`,
        OIDC_ACCOUNTS: JSON.stringify({
          ann: { name: 'Ann Chen', tenant: TENANT, role: 'employee', employee_id: 'e-ann' },
          mei: {
            name: 'Mei Lin',
            tenant: TENANT,
            role: 'manager',
            employee_id: 'e-mei',
            noRefreshToken: true,
          },
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    provider.stdout?.on('data', (chunk) => (providerOutput += chunk));
    provider.stderr?.on('data', (chunk) => (providerOutput += chunk));
    await eventually(async () => providerOutput.includes('oidc provider ready'), 60_000, 'provider ready');
    web = await startWebTenant({
      prefix: 'oidc',
      tenant: TENANT,
      company: 'OIDC Co',
      port,
      env: {
        JWKS_URL: `${issuer}/jwks`,
        JWT_ISSUER: issuer,
        JWT_AUDIENCE: `${base}/`,
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: CLIENT_ID,
      },
      // The set-up's tokens are signed by the provider's key: the API accepts no other key here.
      sign: (claims, subject) =>
        new jose.SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: KID })
          .setSubject(subject)
          .setIssuer(issuer)
          .setAudience(`${base}/`)
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(privateKey),
    });
    browser = web.browser;
  }, 240_000);

  afterAll(async () => {
    await web?.stop();
    provider?.kill('SIGTERM');
  });

  it('the API tells the web app where people sign in, and refuses development sign-in', async () => {
    expect(await (await fetch(`${base}/auth/config`)).json()).toEqual({
      oidc: { issuer, clientId: CLIENT_ID },
      devSignIn: false,
    });
    expect((await fetch(`${base}/dev/sign-in/people?tenant=${TENANT}`)).status).toBe(403);
  });

  it("Ann signs in on the provider's login form, her token is renewed before it expires, and she signs out", async () => {
    const page = await browser.context.newPage();
    // The page's clock is the test's: the renewal is due an hour later (the token's lifetime), and
    // the test moves the clock there instead of waiting.
    await page.clock.install();
    const sessionToken = async () =>
      (
        JSON.parse((await page.evaluate(() => sessionStorage.getItem('verity.session'))) ?? 'null') as {
          token: string;
        } | null
      )?.token ?? null;
    try {
      await page.goto(`${base}/app/sign-in?lang=en`);
      const button = page.getByRole('button', { name: en.signIn.organisation });
      await button.waitFor();
      expect(await page.getByRole('heading', { name: en.signIn.title }).count()).toBe(0);
      await page.locator('.ant-btn-loading, .ant-skeleton').first().waitFor({ state: 'detached' });
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'sign-in-oidc.png'), fullPage: true });
      await button.click();

      // The provider's own page: the browser has left the app, with a PKCE challenge in the request.
      await page.waitForURL((url) => url.origin === issuer);
      await page.locator('input[name="login"]').fill('ann');
      await page.locator('input[name="password"]').fill('any password');
      await page.getByRole('button', { name: 'Sign-in' }).click();

      await page.waitForURL(/\/app\/my-appraisal$/);
      await page
        .getByText(en.plan.status.replace('{{status}}', en.statuses.draft).replace('{{version}}', '0'))
        .waitFor();
      await page
        .getByText(en.app.signedInAs.replace('{{name}}', 'Ann Chen').replace('{{role}}', en.roles.employee))
        .waitFor();
      // The bearer is the provider's access token: RS256, its key id, the claims the API requires.
      const session = JSON.parse((await page.evaluate(() => sessionStorage.getItem('verity.session')))!) as {
        token: string;
      };
      expect(jose.decodeProtectedHeader(session.token)).toMatchObject({ alg: 'RS256', kid: KID });
      expect(jose.decodeJwt(session.token)).toMatchObject({
        iss: issuer,
        sub: 'ann',
        tenant: TENANT,
        role: 'employee',
        employee_id: 'e-ann',
      });

      // A minute before the token expires, the app trades its refresh token for a new access token.
      await page.clock.fastForward('59:10');
      await eventually(async () => (await sessionToken()) !== session.token, 60_000, 'token renewed');
      const renewed = (await sessionToken())!;
      expect(jose.decodeJwt(renewed)).toMatchObject({
        iss: issuer,
        sub: 'ann',
        tenant: TENANT,
        role: 'employee',
      });
      expect(jose.decodeJwt(renewed).jti).not.toBe(jose.decodeJwt(session.token).jti);
      // The API accepts it, and the app's requests carry it from now on.
      expect(
        (await fetch(`${base}/scores`, { headers: { authorization: `Bearer ${renewed}` } })).status,
      ).toBe(200);
      const carried = page.waitForRequest(
        (request) => request.headers()['authorization'] === `Bearer ${renewed}`,
      );
      await page.reload();
      await carried;

      // Signing out forgets the session and the issuer's tokens, ends the provider's session too
      // (RP-initiated logout, confirmed on the provider's page), and comes back to sign-in.
      await page
        .getByRole('button', {
          name: en.app.signedInAs.replace('{{name}}', 'Ann Chen').replace('{{role}}', en.roles.employee),
        })
        .hover();
      await page.getByRole('menuitem', { name: en.app.signOut }).click();
      await page.waitForURL((url) => url.origin === issuer);
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.waitForURL(/\/app\/sign-in/);
      await page.getByRole('button', { name: en.signIn.organisation }).waitFor();
      expect(
        await page.evaluate(() =>
          Object.keys(sessionStorage).filter((key) => key === 'verity.session' || key.startsWith('oidc.')),
        ),
      ).toEqual([]);
      await page.goto(`${base}/app/my-appraisal?lang=en`);
      await page.waitForURL(/\/app\/sign-in/);
      // The provider's session is over: signing in again asks for the login form, not straight through.
      await page.getByRole('button', { name: en.signIn.organisation }).click();
      await page.waitForURL((url) => url.origin === issuer);
      await page.locator('input[name="login"]').waitFor();
    } catch (error) {
      const text = await page.evaluate(() => document.body.innerText).catch(() => '?');
      if (error instanceof Error)
        error.message += `\n\n--- ${page.url()}\n${text.slice(0, 4000)}\n--- provider\n${providerOutput.slice(-3000)}`;
      throw error;
    } finally {
      await page.close();
    }
  }, 180_000);

  it('without a refresh token from the issuer, the session ends at the token’s expiry with a sign-in prompt', async () => {
    const page = await browser.context.newPage();
    await page.clock.install();
    try {
      await page.goto(`${base}/app/sign-in?lang=en`);
      await page.getByRole('button', { name: en.signIn.organisation }).click();
      await page.waitForURL((url) => url.origin === issuer);
      await page.locator('input[name="login"]').fill('mei');
      await page.locator('input[name="password"]').fill('any password');
      await page.getByRole('button', { name: 'Sign-in' }).click();
      await page.waitForURL(/\/app\/inbox$/);
      const signedIn = en.app.signedInAs.replace('{{name}}', 'Mei Lin').replace('{{role}}', en.roles.manager);
      await page.getByText(signedIn).waitFor();
      // The issuer gave no refresh token: nothing can renew the access token.
      const stored = await page.evaluate(() =>
        Object.keys(sessionStorage)
          .filter((key) => key.startsWith('oidc.user:'))
          .map((key) => JSON.parse(sessionStorage.getItem(key)!) as { refresh_token?: string }),
      );
      expect(stored).toHaveLength(1);
      expect(stored[0].refresh_token).toBeUndefined();

      // Past the token's hour: the app ends the session itself and asks to sign in again.
      await page.clock.fastForward('01:01:00');
      await page.waitForURL(/\/app\/sign-in/);
      await page.getByRole('alert').filter({ hasText: en.signIn.ended }).waitFor();
      await page.getByRole('button', { name: en.signIn.organisation }).waitFor();
      expect(await page.getByText(signedIn).count()).toBe(0);
      expect(await page.evaluate(() => sessionStorage.getItem('verity.session'))).toBeNull();
      expect(await seriousViolations(page)).toEqual([]);
    } catch (error) {
      const text = await page.evaluate(() => document.body.innerText).catch(() => '?');
      if (error instanceof Error)
        error.message += `\n\n--- ${page.url()}\n${text.slice(0, 4000)}\n--- provider\n${providerOutput.slice(-3000)}`;
      throw error;
    } finally {
      await page.close();
    }
  }, 180_000);
});
