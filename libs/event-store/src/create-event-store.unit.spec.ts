import { Pool } from 'pg';
import { createEventStore } from './create-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { KurrentDbEventStore } from './kurrentdb';

describe('createEventStore', () => {
  const pool = new Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
  afterAll(() => pool.end());

  it('gives the PostgreSQL adapter by default and KurrentDB when configured', async () => {
    expect(createEventStore({ kind: 'postgres', pool })).toBeInstanceOf(PostgresEventStore);
    const kurrent = createEventStore({
      kind: 'kurrentdb',
      pool,
      kurrentDbUrl: 'kurrentdb://127.0.0.1:1?tls=false',
    });
    expect(kurrent).toBeInstanceOf(KurrentDbEventStore);
    await kurrent.close();
  });

  it('refuses KurrentDB without its URL', () => {
    expect(() => createEventStore({ kind: 'kurrentdb', pool })).toThrow(/KURRENTDB_URL/);
  });
});
