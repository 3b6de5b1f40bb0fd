/**
 * Small probes for infra/setup.sh, written with the project's own clients so the shell script
 * needs no psql or redis-cli before it has installed them.
 *   env               print the validated configuration as shell assignments
 *   probe-pg URL      exit 0 when PostgreSQL accepts that URL's credentials
 *   probe-redis URL   exit 0 when Redis answers PING
 *   ensure-db URL     create that URL's database (as its own user) when missing
 *   create-role OWNER_URL RUNTIME_URL
 *                     create RUNTIME_URL's role through OWNER_URL (works when the owner may create
 *                     roles, e.g. the Docker image's superuser); exit 3 when it may not
 */
import { Client } from 'pg';
import IORedis from 'ioredis';
import { loadConfigOrExit, testDatabaseUrl } from '@verity/platform';

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

async function probePg(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  // A connection lost mid-probe rejects the query in hand; unheard, the 'error' event would crash the script.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeRedis(url: string): Promise<boolean> {
  const redis = new IORedis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function ensureDatabase(url: string): Promise<void> {
  if (await probePg(url)) return;
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`setup: created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

/** The runtime role's attributes (docs/adr/0080): it logs in and can do nothing else on its own. */
export const RUNTIME_ROLE_ATTRIBUTES = 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION';

async function createRuntimeRole(ownerUrl: string, runtimeUrl: string): Promise<number> {
  const runtime = new URL(runtimeUrl);
  const role = decodeURIComponent(runtime.username);
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ allowed: boolean }>(
      'SELECT rolsuper OR rolcreaterole AS allowed FROM pg_roles WHERE rolname = current_user',
    );
    if (!rows[0]?.allowed) return 3;
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const verb = exists.rowCount === 0 ? 'CREATE' : 'ALTER';
    await client.query(
      `${verb} ROLE ${client.escapeIdentifier(role)} ${RUNTIME_ROLE_ATTRIBUTES} PASSWORD ${client.escapeLiteral(decodeURIComponent(runtime.password))}`,
    );
    if (verb === 'CREATE') console.log(`setup: created the runtime role ${role}`);
    return 0;
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const [command, arg] = process.argv.slice(2);
  switch (command) {
    case 'env': {
      const config = loadConfigOrExit();
      const db = new URL(config.DATABASE_OWNER_URL);
      const app = new URL(config.DATABASE_URL);
      const redis = new URL(config.REDIS_URL);
      const lines = {
        DATABASE_URL: config.DATABASE_URL,
        DATABASE_OWNER_URL: config.DATABASE_OWNER_URL,
        TEST_DATABASE_URL: testDatabaseUrl(config),
        REDIS_URL: config.REDIS_URL,
        PG_HOST: db.hostname,
        PG_PORT: db.port || '5432',
        PG_USER: decodeURIComponent(db.username || 'verity'),
        PG_PASSWORD: decodeURIComponent(db.password),
        PG_DATABASE: decodeURIComponent(db.pathname.slice(1)),
        PG_APP_USER: decodeURIComponent(app.username || 'verity_app'),
        PG_APP_PASSWORD: decodeURIComponent(app.password),
        PG_TEST_DATABASE: decodeURIComponent(new URL(testDatabaseUrl(config)).pathname.slice(1)),
        REDIS_HOST: redis.hostname,
        REDIS_PORT: redis.port || '6379',
      };
      for (const [key, value] of Object.entries(lines)) console.log(`${key}=${quote(value)}`);
      return 0;
    }
    case 'probe-pg':
      return (await probePg(arg)) ? 0 : 1;
    case 'probe-redis':
      return (await probeRedis(arg)) ? 0 : 1;
    case 'ensure-db':
      await ensureDatabase(arg);
      return 0;
    case 'create-role':
      return createRuntimeRole(arg, process.argv[4]);
    default:
      console.error(`services: unknown command ${command}`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`setup: ${error.message}`);
    process.exit(1);
  },
);
