import { parse } from 'csv-parse/sync';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';
import { scoreProjection } from '@verity/projections';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import type { TenantOnTestApi } from './tenant-fixture';

/**
 * The lines of the tenant's score report (`GET /reports/scores?${query}` as HR, read by its header),
 * once the score read model has caught up with the log (pumped here as the worker would).
 */
export async function scoreReportLines(t: TenantOnTestApi, query: string): Promise<Record<string, string>[]> {
  const pool = t.app.get<Pool>(PG_POOL);
  await new ConsumerPump(pool, new PostgresEventStore(pool), scoreProjection, [t.tenant]).drain();
  const report = t.ok(await t.http().get(`/reports/scores?${query}`).set(t.headers.hr), 'report');
  return parse(report.text, { columns: true }) as Record<string, string>[];
}
