import { Readable } from 'node:stream';
import { Inject, StreamableFile } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { CONFIG, PG_POOL, type Config } from '@verity/platform';
import { seesAnonymousRaters } from '@verity/domain';
import { readStreamHeads, type EventStore } from '@verity/event-store';
import {
  exportAudit,
  exportAuditCsv,
  listAudit,
  verifyTenantChains,
  type AuditFilter,
  type AuditReader,
  type CheckpointSigner,
  type TenantReport,
} from '@verity/projections';
import { STORED_EVENTS } from '../../event-store/event-store.provider';
import { AUDIT_SIGNER } from './audit-signer.provider';
import { CLOCK, type Clock } from '../../clock/clock';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { ValidQuery, QueryId } from '../../validation/zod.pipe';
import { ApiFileAnswer } from '../../openapi/file-answer';
import { AuditEntryResponse, AuditPageResponse, ChainReportResponse } from './audit.response';
import { ApiController, Route } from '../../openapi/route';
import { AUDITORS_AND_HR } from '../../auth/role-sets';
import { asViewer } from '../../directory/org-relations';

/**
 * A calendar date (`2026-02-28`, midnight UTC) or an ISO 8601 instant with its offset. Checked as
 * written: `Date` would roll `2026-02-30` over to 2 March without a word.
 */
const Moment = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be a real date (YYYY-MM-DD) or an ISO 8601 date-time with offset',
  })
  .transform((value) => new Date(value));
export const AuditQuery = z.strictObject({
  appraisalId: QueryId.optional(),
  employeeId: QueryId.optional(),
  actorId: QueryId.optional(),
  type: QueryId.optional(),
  from: Moment.optional(),
  to: Moment.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const AuditExportQuery = AuditQuery.omit({ limit: true }).extend({
  format: z.enum(['csv', 'json']).default('json'),
});

async function* jsonLines(rows: AsyncIterable<object>): AsyncGenerator<string> {
  for await (const row of rows) yield `${JSON.stringify(row)}\n`;
}

/** Who may read and export the trail (what each sees of it is `auditReader`'s). */
const TRAIL_READERS = [...AUDITORS_AND_HR, 'process-owner'] as const;

/** What the caller may see of the trail: the domain's visibility rule, not a role list of the query's own. */
function auditReader(principal: Principal): AuditReader {
  return { seesAnonymousRaters: seesAnonymousRaters(asViewer(principal, 'none')) };
}

/** The audit log of the caller's tenant (RLS scopes every query to the credential's tenant). */
@ApiController('audit')
export class AuditController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(STORED_EVENTS) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(AUDIT_SIGNER) private readonly signer: CheckpointSigner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Route('GET', '', {
    roles: TRAIL_READERS,
    answer: AuditPageResponse,
    answerDescription: 'The audit entries, oldest first',
  })
  async list(@CurrentPrincipal() principal: Principal, @ValidQuery(AuditQuery) query: AuditFilter) {
    return { items: await listAudit(this.pool, principal.tenantId, auditReader(principal), query) };
  }

  /**
   * Checks every hash chain of the tenant against the stored events and names the first event
   * changed, missing or out of order; `headHash` is the tenant's newest hash, to note down and
   * compare later. With PostgreSQL the streams' recorded heads are checked too (a deleted last event),
   * and always every signed checkpoint: its signature and the tree it signed (a vanished stream, a
   * truncated log, hashes recomputed without the key).
   */
  @Route('GET', 'verify', {
    roles: AUDITORS_AND_HR,
    answer: ChainReportResponse,
    answerDescription: 'The chains checked, and the first break if any',
  })
  async verify(@CurrentPrincipal() principal: Principal): Promise<TenantReport & { verifiedAt: string }> {
    const heads =
      this.config.EVENT_STORE === 'postgres'
        ? () => readStreamHeads(this.pool, principal.tenantId)
        : undefined;
    const report = await verifyTenantChains(this.store, principal.tenantId, heads, this.signer);
    return { ...report, verifiedAt: this.clock.now().toISOString() };
  }

  /** Streamed through a database cursor: JSON Lines or CSV, never held in memory. */
  @Route('GET', 'export', { roles: TRAIL_READERS })
  @ApiFileAnswer({
    description: 'The filtered audit entries, oldest first, as a file (`format`: json, the default, or csv)',
    media: [
      {
        type: 'application/x-ndjson',
        description: 'JSON Lines (audit.jsonl): one audit entry per line, as GET /audit lists them',
        line: AuditEntryResponse,
      },
      {
        type: 'text/csv; charset=utf-8',
        description:
          'CSV (audit.csv): a header line naming the audit entry fields (position, recordedAt, streamId, …, summaryZh), then one line per entry',
      },
    ],
    headers: { 'Content-Disposition': 'attachment; filename="audit.jsonl" (or "audit.csv")' },
  })
  export(
    @CurrentPrincipal() principal: Principal,
    @ValidQuery(AuditExportQuery) query: z.output<typeof AuditExportQuery>,
  ): StreamableFile {
    const { format, ...filter } = query;
    const lines =
      format === 'csv'
        ? exportAuditCsv(this.pool, principal.tenantId, auditReader(principal), filter)
        : jsonLines(exportAudit(this.pool, principal.tenantId, auditReader(principal), filter));
    return new StreamableFile(Readable.from(lines), {
      type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      disposition: `attachment; filename="audit.${format === 'csv' ? 'csv' : 'jsonl'}"`,
    });
  }
}
