import { Client } from 'pg';
import { loadConfig, testDatabaseUrl } from '../libs/platform/src';
import { migrate } from '../infra/scripts/migrate';

/**
 * Makes this test run's databases: a freshly migrated template `<name>_r<pid>`, then one copy per
 * jest worker (`<name>_r<pid>_w<N>`); each test file copies the template again for itself
 * (test/support/database-per-file.ts), so no two files share an event log and two test runs on
 * one machine never touch each other's databases. Test databases are disposable:
 * the teardown drops this run's, and databases of runs whose process is gone are dropped here.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  if (process.env.VERITY_TEST_DATABASES_READY) return; // the other jest project made them already
  const run = (process.env.VERITY_TEST_RUN ??= `r${process.pid}`);
  const base = new URL(testDatabaseUrl(loadConfig()));
  const name = decodeURIComponent(base.pathname.slice(1));
  const template = `${name}_${run}`;
  await withAdmin(base, async (client) => {
    await dropDatabases(
      client,
      name,
      (other) => other.startsWith(`${template}_`) || other === template || !alive(other, name),
    );
    await client.query(`CREATE DATABASE "${template}"`);
  });
  const templateUrl = new URL(base);
  templateUrl.pathname = `/${template}`;
  await migrate(templateUrl.toString());
  await withAdmin(base, async (client) => {
    for (let worker = 1; worker <= Math.max(1, globalConfig.maxWorkers); worker++)
      await client.query(`CREATE DATABASE "${template}_w${worker}" TEMPLATE "${template}"`);
  });
  process.env.VERITY_TEST_DATABASES_READY = '1';
}

export async function dropRunDatabases(): Promise<void> {
  const run = process.env.VERITY_TEST_RUN;
  if (!run) return;
  const base = new URL(testDatabaseUrl(loadConfig()));
  const name = decodeURIComponent(base.pathname.slice(1));
  await withAdmin(base, (client) =>
    dropDatabases(client, name, (other) => other === `${name}_${run}` || other.startsWith(`${name}_${run}_`)),
  );
}

async function withAdmin(base: URL, work: (client: Client) => Promise<void>): Promise<void> {
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function dropDatabases(
  client: Client,
  name: string,
  drop: (database: string) => boolean,
): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE $1 || '\\_r%'",
    [name],
  );
  for (const { datname } of rows.filter((row) => drop(row.datname))) {
    try {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } catch (error) {
      // FORCE ends the other sessions on it, which the owner role may do only to its own: an idle
      // connection of the runtime role (a test file's pool not yet closed) refuses it. The results
      // are in; the next run's set-up drops the database once this process is gone.
      console.warn(`test databases: ${datname} left for the next run (${(error as Error).message})`);
    }
  }
}

/** Whether the test run that made this database still runs. */
function alive(database: string, name: string): boolean {
  const pid = Number(/^_r(\d+)/.exec(database.slice(name.length))?.[1]);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
