import { InvalidEvent, TenantMismatch } from './errors';
import type { RecordedEvent } from './event-store.port';

/**
 * A tenant id: letters, digits, `_` and `-`, at most 63 characters, never a `.`. Stream names are
 * `<category>-<tenantId>.<id>` and ids may contain dots, so a dot in a tenant id would let tenant
 * `x.dot` name tenant `x`'s stream `dot.<id>` (docs/adr/0070-tenant-ids-and-tenant-checked-reads.md).
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
export const TENANT_ID_RULE =
  'letters, digits, "_" or "-" (no "."), starting with a letter or digit, at most 63';

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}

/** Throws InvalidEvent naming `field` unless `value` is a tenant id. */
export function checkTenantId(value: unknown, field = 'tenantId'): asserts value is string {
  if (!isTenantId(value)) throw new InvalidEvent(field, `must be a tenant id: ${TENANT_ID_RULE}`);
}

/** A read of a stream that belongs to another tenant than the caller's: what the adapters report. */
export interface ForeignStreamRead {
  streamId: string;
  /** The caller's tenant. */
  expectedTenantId: string;
  /** The tenant the stream's events carry. */
  foundTenantId: string;
}

/** Told about every refused read of another tenant's stream (the API and the worker log it as an error). */
export type ForeignReadReporter = (read: ForeignStreamRead) => void;

/** The default reporter: one JSON line on stderr, ids only. */
export const reportForeignReadOnStderr: ForeignReadReporter = (read) =>
  process.stderr.write(
    `${JSON.stringify({ level: 'error', msg: 'event store: a stream of another tenant was read and refused', ...read })}\n`,
  );

/**
 * Both adapters' check of a read against the caller's tenant: every event must carry it, else the
 * read fails as TenantMismatch (not found to the caller) and is reported. Never returns data of
 * another tenant, even if a stream name were ever ambiguous again.
 */
export function checkTenantOfRead(
  streamId: string,
  events: readonly Pick<RecordedEvent, 'metadata'>[],
  tenantId: string | undefined,
  report: ForeignReadReporter,
): void {
  if (tenantId === undefined) return;
  const foreign = events.find((event) => event.metadata.tenantId !== tenantId);
  if (!foreign) return;
  report({ streamId, expectedTenantId: tenantId, foundTenantId: String(foreign.metadata.tenantId) });
  throw new TenantMismatch(streamId);
}
