import { readdirSync } from 'node:fs';
import { Client } from 'pg';
import { runner } from 'node-pg-migrate';
import { workerDatabaseUrl } from '../../test/support/environment';
import { MIGRATIONS_DIR, migrate } from './migrate';

/**
 * Migration 0600 (docs/adr/0070): a database that already holds a tenant id with a dot stops the
 * upgrade, naming how many and which, instead of keeping names that may collide with another tenant's.
 */
describe('migration 0600: tenant ids without a dot', () => {
  const worker = new URL(workerDatabaseUrl());
  // Named after this worker's database, so the test run's teardown drops it whatever happens.
  const name = `${decodeURIComponent(worker.pathname.slice(1))}_m0600`;
  const url = new URL(worker);
  url.pathname = `/${name}`;
  const admin = async (sql: string) => {
    const postgres = new URL(worker);
    postgres.pathname = '/postgres';
    const client = new Client({ connectionString: postgres.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${name}"`);
    await admin(`CREATE DATABASE "${name}"`);
  });
  afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}"`));

  it('stops on existing dotted tenant ids, naming them, and goes through once they are gone', async () => {
    const before = readdirSync(MIGRATIONS_DIR).filter(
      (file) => file.endsWith('.sql') && file < '0600',
    ).length;
    await runner({
      databaseUrl: url.toString(),
      dir: MIGRATIONS_DIR,
      migrationsTable: 'schema_migrations',
      direction: 'up',
      count: before,
      checkOrder: false,
      log: () => undefined,
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
    });
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(
        "INSERT INTO streams (stream_id, tenant_id, revision, last_hash) VALUES ('appraisal-x.dot.1', 'x.dot', 0, 'h')",
      );
      await client.query(
        "INSERT INTO api_keys (key_id, tenant_id, secret_hash, name) VALUES ('000000000001', 'y.dot', 'h', 'k')",
      );
      await expect(migrate(url.toString())).rejects.toThrow(
        /tenant ids outside .*: 2 \(e\.g\. x\.dot, y\.dot\)/,
      );
      await client.query("DELETE FROM streams WHERE tenant_id = 'x.dot'");
      await client.query("DELETE FROM api_keys WHERE tenant_id = 'y.dot'");
      expect(await migrate(url.toString())).toContain('0600_tenant_id_alphabet');
    } finally {
      await client.end();
    }
  });
});
