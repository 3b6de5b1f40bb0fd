import { Client } from 'pg';
import { loadConfig, testDatabaseUrl } from '../libs/platform/src';
import { migrate } from '../infra/scripts/migrate';

/**
 * Migrates the test database, then copies it once per jest worker (`<name>_w<N>`), so parallel
 * test files never share an event log. Test databases are disposable: they are recreated each run.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const base = testDatabaseUrl(loadConfig());
  await migrate(base);
  const name = decodeURIComponent(new URL(base).pathname.slice(1));
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (let worker = 1; worker <= Math.max(1, globalConfig.maxWorkers); worker++) {
      const copy = `${name}_w${worker}`;
      await client.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${copy}" TEMPLATE "${name}"`);
    }
  } finally {
    await client.end();
  }
}
