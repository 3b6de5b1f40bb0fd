import { Client } from 'pg';
import { loadConfig } from '@verity/platform';
import { migrate } from '../../infra/scripts/migrate';

/**
 * A database of its own for one benchmark, on DATABASE_OWNER_URL's server (as the owner): dropped if it is there,
 * created and migrated. Returns its URL.
 */
export async function freshBenchDatabase(name: string): Promise<string> {
  const config = loadConfig();
  const admin = new Client({ connectionString: config.DATABASE_OWNER_URL });
  await admin.connect();
  try {
    // An autovacuum worker on the old copy can make the forced drop fail for a moment.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        break;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = benchDatabaseUrl(name);
  await migrate(url);
  return url;
}

/** The URL of the benchmark database `name` on DATABASE_OWNER_URL's server, as the owner. */
export function benchDatabaseUrl(name: string): string {
  const url = new URL(loadConfig().DATABASE_OWNER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
