import { Pool } from 'pg';
import { createEventStore } from './create-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { KurrentDbEventStore } from './kurrentdb';
import { PiiProtectingEventStore, storedEventsOf } from './pii/pii-protecting-event-store';

const piiMasterKey = Buffer.alloc(32, 7).toString('base64');

describe('createEventStore', () => {
  const pool = new Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
  afterAll(() => pool.end());

  it('gives the PostgreSQL adapter by default and KurrentDB when configured, each sealing pii', async () => {
    const postgres = createEventStore({ kind: 'postgres', pool, piiMasterKey });
    expect(postgres).toBeInstanceOf(PiiProtectingEventStore);
    expect(storedEventsOf(postgres)).toBeInstanceOf(PostgresEventStore);
    const kurrent = createEventStore({
      kind: 'kurrentdb',
      pool,
      kurrentDbUrl: 'kurrentdb://127.0.0.1:1?tls=false',
      piiMasterKey,
    });
    expect(storedEventsOf(kurrent)).toBeInstanceOf(KurrentDbEventStore);
    await kurrent.close();
  });

  it('refuses KurrentDB without its URL', () => {
    expect(() => createEventStore({ kind: 'kurrentdb', pool, piiMasterKey })).toThrow(/KURRENTDB_URL/);
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => createEventStore({ kind: 'postgres', pool, piiMasterKey: 'c2hvcnQ=' })).toThrow(/32 bytes/);
  });
});
