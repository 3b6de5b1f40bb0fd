import { loadConfig, testDatabaseUrl } from '@verity/platform';

/**
 * The test file's own copy of the migrated test database (test/support/database-per-file.ts), or
 * else the jest worker's (made by test/global-setup.ts).
 */
export function workerDatabaseUrl(): string {
  const url = new URL(testDatabaseUrl(loadConfig()));
  const own = process.env.VERITY_TEST_FILE_DATABASE;
  if (own) {
    url.pathname = `/${own}`;
    return url.toString();
  }
  // Named by test/global-setup.ts: one template per test run, one copy per jest worker.
  url.pathname = `${url.pathname}_${process.env.VERITY_TEST_RUN ?? 'r0'}_w${process.env.JEST_WORKER_ID ?? '1'}`;
  return url.toString();
}

/** Each jest worker gets its own Redis logical database (1..15; 0 is the application's). */
export function workerRedisUrl(): string {
  const url = new URL(loadConfig().REDIS_URL);
  url.pathname = `/${(Number(process.env.JEST_WORKER_ID ?? '1') % 15) + 1}`;
  return url.toString();
}

/**
 * The same database as `workerDatabaseUrl()`, reached as the runtime role the API and worker use
 * (DATABASE_URL's user) instead of the owner that the test fixtures need for their set-up.
 */
export function workerRuntimeDatabaseUrl(): string {
  const runtime = new URL(loadConfig().DATABASE_URL);
  const url = new URL(workerDatabaseUrl());
  url.username = runtime.username;
  url.password = runtime.password;
  return url.toString();
}
