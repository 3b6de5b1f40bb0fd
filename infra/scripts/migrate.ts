import path from 'node:path';
import { runner } from 'node-pg-migrate';
import { loadConfigOrExit, testDatabaseUrl } from '../../libs/platform/src';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../migrations');

/** Applies every pending versioned migration in infra/migrations, in order, one transaction each. */
export async function migrate(
  databaseUrl: string,
  log: (message: string) => void = () => undefined,
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
  return applied.map((migration) => migration.name);
}

if (require.main === module) {
  const config = loadConfigOrExit();
  const target = process.argv.includes('--test') ? testDatabaseUrl(config) : config.DATABASE_URL;
  migrate(target)
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
