import type { INestApplication } from '@nestjs/common';
import type { Response } from 'supertest';
import { loadConfig, localSigning, signLocalToken, type Config } from '@verity/platform';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import { createApi, type HttpPlatform } from '../bootstrap';
import type { CallerRole } from '../auth/principal';

/** The API on this jest worker's own database and Redis, as every API integration test builds it. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: workerDatabaseUrl(),
    REDIS_URL: workerRedisUrl(),
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

export async function startTestApi(
  // API_TEST_PLATFORM=express|fastify runs every API suite on that adapter (default: the API's own).
  platform: HttpPlatform | undefined = process.env.API_TEST_PLATFORM as HttpPlatform | undefined,
  overrides: Record<string, string> = {},
): Promise<{ app: INestApplication; config: Config }> {
  const config = testConfig(overrides);
  const app = await createApi(config, { platform });
  await app.init();
  return { app, config };
}

/** The API as a test file shares it. */
export interface TestApi {
  app: INestApplication;
  config: Config;
}

/**
 * Starts the API before the file's tests and closes it after them. The answer is filled in by
 * then: read it in tests and hooks, not while the file is being loaded.
 */
export function testApiOfThisFile(): TestApi {
  const api = {} as TestApi;
  beforeAll(async () => {
    Object.assign(api, await startTestApi());
  });
  afterAll(() => api.app?.close());
  return api;
}

export interface TokenClaims {
  role: CallerRole;
  tenant: string;
  sub?: string;
  employeeId?: string;
  scope?: string;
  expiresIn?: string;
}

/** A signed bearer token as `npm run token` makes it. */
export async function tokenFor(config: Config, claims: TokenClaims): Promise<string> {
  return signLocalToken(localSigning(config), {
    tenant: claims.tenant,
    role: claims.role,
    subject: claims.sub ?? claims.employeeId ?? `${claims.role}-1`,
    employeeId: claims.employeeId,
    scope: claims.scope,
    expiresIn: claims.expiresIn ?? '1h',
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A supertest parser that keeps the body as text (a JSON Lines download, read line by line after). */
export function asText(response: Response, done: (error: Error | null, body: string) => void): void {
  let text = '';
  response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  response.on('end', () => done(null, text));
}

/** A JSON Lines body (read with `asText`), one parsed value a line. */
export const jsonLines = (body: unknown) =>
  String(body)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
