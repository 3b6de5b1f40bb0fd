import { spawn } from 'node:child_process';
import path from 'node:path';
import { FaultProxy } from '../../../test/support/fault-proxy';
import { workerDatabaseUrl } from '../../../test/support/environment';
import { createPool, inTransaction } from './database';

const root = path.resolve(__dirname, '../../..');

/*
 * A lost connection fails the operation in hand, never the process. The first case runs in a child
 * process: an 'error' event nobody listens to is thrown from a socket callback, which would take
 * the test runner down instead of failing one test.
 */

describe('pooled connections losing their server', () => {
  let proxy: FaultProxy;
  const target = new URL(workerDatabaseUrl());

  beforeEach(async () => {
    proxy = await FaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  });
  afterEach(() => proxy.stop());

  it('a client checked out with pool.connect() fails its next query, and the process lives on', async () => {
    // The child holds a client in a transaction and says so; we cut the connection and let it go on.
    const held = spawn(process.execPath, ['--import', 'tsx', '-e', childHolding], {
      cwd: root,
      env: { ...process.env, URL: proxy.via(workerDatabaseUrl()) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    held.stdout.on('data', (chunk) => (output += chunk));
    held.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => held.on('exit', (code) => resolve(code)));
    await waitFor(() => output.includes('HOLDING'));
    expect(proxy.dropConnections()).toBeGreaterThan(0);
    held.stdin.write('go\n');
    held.stdin.end();
    expect(await exited).toBe(0);
    expect(output).toContain('QUERY FAILED');
    expect(output).toContain('POOL WORKS AGAIN');
  });

  it('inTransaction rejects when the connection drops mid-transaction, and the pool recovers', async () => {
    const pool = createPool(proxy.via(workerDatabaseUrl()), 2, 'database-int-spec');
    try {
      const failed = inTransaction(pool, async (client) => {
        await client.query('SELECT 1');
        proxy.dropConnections();
        await client.query('SELECT pg_sleep(0.01)');
      });
      await expect(failed).rejects.toThrow();
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('a server that refuses connections fails the query at once, with its cause', async () => {
    const pool = createPool(proxy.via(workerDatabaseUrl()), 2, 'database-int-spec');
    try {
      await proxy.refuse();
      await expect(pool.query('SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await proxy.accept();
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});

// The child: holds a client in a transaction, waits for a line on stdin, then queries on it.
const childHolding = `
  const { createPool } = require('./libs/platform/src/database');
  (async () => {
    const pool = createPool(process.env.URL, 2, 'database-int-spec');
    const client = await pool.connect();
    await client.query('BEGIN');
    console.log('HOLDING');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    // Give the socket's close a moment to arrive before the next query.
    await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      await client.query('SELECT 1');
      console.log('QUERY SUCCEEDED');
    } catch (error) {
      console.log('QUERY FAILED: ' + error.message);
    }
    client.release();
    const { rows } = await pool.query('SELECT 1 AS one');
    if (rows[0].one === 1) console.log('POOL WORKS AGAIN');
    await pool.end();
  })().catch((error) => { console.error(error); process.exit(2); });
`;

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
