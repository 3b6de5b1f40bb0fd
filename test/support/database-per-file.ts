// Each integration or end-to-end test file gets a database of its own, copied from this run's
// migrated template before its first test: what one file leaves behind (events its consumers must
// walk, pending timers, read-model rows) can neither slow down nor change another file's results.
// The run's global teardown drops them with the template.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig, testDatabaseUrl } from '@verity/platform';

const base = new URL(testDatabaseUrl(loadConfig()));
const template = `${decodeURIComponent(base.pathname.slice(1))}_${process.env.VERITY_TEST_RUN ?? 'r0'}`;
const database = `${template}_f${randomUUID().replace(/-/g, '').slice(0, 12)}`;
// Read by test/support/environment.ts when the test file loads, after this.
process.env.VERITY_TEST_FILE_DATABASE = database;

beforeAll(async () => {
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    // Two files copying the template at the same moment can collide on its lock: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  } finally {
    await client.end();
  }
}, 120_000);
