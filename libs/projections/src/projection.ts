import type { PoolClient } from 'pg';
import type { ConsumerHandler } from '@verity/event-store';

/** A read-model projection: a consumer handler that can also empty its tables for a rebuild. */
export type Projection = ConsumerHandler & { reset(tx: PoolClient): Promise<void> };

/** Empties every tenant's rows of `tables` for a rebuild (TRUNCATE is not filtered by row-level security). */
export async function truncateTables(tx: PoolClient, tables: readonly string[]): Promise<void> {
  await tx.query(`TRUNCATE ${tables.join(', ')}`);
}
