import { Readable } from 'node:stream';
import { Controller, Get, Inject, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
import { CurrentPrincipal, Roles } from '../../auth/roles.decorator';
import { jsonSchemaOf } from '../../openapi/json-schema';
import { ValidQuery } from '../../validation/zod.pipe';
import { AuditPageResponse, ChainReportResponse } from './audit.response';

const Id = z.string().min(1).max(100);
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
  appraisalId: Id.optional(),
  employeeId: Id.optional(),
  actorId: Id.optional(),
  type: Id.optional(),
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

/** What the caller may see of the trail: the domain's visibility rule, not a role list of the query's own. */
function auditReader(principal: Principal): AuditReader {
  return {
    seesAnonymousRaters: seesAnonymousRaters({
      role: principal.role,
      userId: principal.subject,
      scopes: principal.scopes,
      relation: 'none',
    }),
  };
}

/** The audit log of the caller's tenant (RLS scopes every query to the credential's tenant). */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(STORED_EVENTS) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(AUDIT_SIGNER) private readonly signer: CheckpointSigner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('auditor', 'hr', 'process-owner')
  @ApiOkResponse({
    description: 'The audit entries, oldest first',
    schema: jsonSchemaOf(AuditPageResponse) as never,
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
  @Get('verify')
  @Roles('auditor', 'hr')
  @ApiOkResponse({
    description: 'The chains checked, and the first break if any',
    schema: jsonSchemaOf(ChainReportResponse) as never,
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
  @Get('export')
  @Roles('auditor', 'hr', 'process-owner')
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
