import path from 'node:path';
import { runner } from 'node-pg-migrate';
import { Client } from 'pg';
import { loadConfig, loadConfigOrExit, testDatabaseUrl } from '../../libs/platform/src';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../migrations');

/**
 * What the runtime role may do (docs/adr/0080), granted again after every migration run so that a
 * table added by any migration is covered: read and write the read models and queues, append to the
 * event log (no UPDATE, DELETE or TRUNCATE of events, and its view `events_committed` only read;
 * stream heads move forward but are never deleted), read which migrations ran. It owns nothing, so it can neither alter a table nor turn its
 * row-level security off.
 */
const RUNTIME_GRANTS = (role: string) => `
  GRANT USAGE ON SCHEMA public TO ${role};
  GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO ${role};
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role};
  GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${role};
  REVOKE UPDATE, DELETE, TRUNCATE ON events FROM ${role};
  REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON events_committed FROM ${role};
  REVOKE DELETE, TRUNCATE ON streams FROM ${role};
  REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ${role};
`;

/**
 * Grants the runtime role its privileges in this database, when it exists and is not the owner
 * (a single-URL installation runs as the owner). Returns whether it granted.
 */
export async function grantRuntimeRole(databaseUrl: string, role: string): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: boolean; owner: string }>(
      'SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists, current_user AS owner',
      [role],
    );
    if (!rows[0].exists || rows[0].owner === role) return false;
    await client.query(RUNTIME_GRANTS(`"${role.replace(/"/g, '""')}"`));
    return true;
  } finally {
    await client.end();
  }
}

/** The user name in a PostgreSQL URL. */
export const roleOf = (databaseUrl: string) => decodeURIComponent(new URL(databaseUrl).username);

/**
 * Applies every pending versioned migration in infra/migrations, in order, one transaction each,
 * as the owner; then grants `runtimeRole` (the user of DATABASE_URL) what the API and worker need.
 */
export async function migrate(
  databaseUrl: string,
  log: (message: string) => void = () => undefined,
  runtimeRole: string = roleOf(loadConfig().DATABASE_URL),
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    migrationsTable: 'schema_migrations',
    direction: 'up',
    count: Infinity,
    // Migrations written in parallel may land below one already applied; each stands alone.
    checkOrder: false,
    log,
    logger: { debug: () => undefined, info: log, warn: log, error: log },
  });
  if (await grantRuntimeRole(databaseUrl, runtimeRole)) log(`granted the runtime role ${runtimeRole}`);
  return applied.map((migration) => migration.name);
}

if (require.main === module) {
  const config = loadConfigOrExit();
  const target = process.argv.includes('--test') ? testDatabaseUrl(config) : config.DATABASE_OWNER_URL;
  migrate(target, undefined, roleOf(config.DATABASE_URL))
    .then((names) => {
      const where = new URL(target).pathname.slice(1);
      console.log(
        names.length ? `migrate: ${where}: applied ${names.join(', ')}` : `migrate: ${where}: up to date`,
      );
    })
    .catch((error: Error) => {
      console.error(`migrate: failed: ${error.message}`);
      process.exit(1);
    });
}
