import { Readable } from 'node:stream';
import { Controller, Get, Inject, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '@verity/platform';
import { exportAudit, exportAuditCsv, listAudit, type AuditFilter } from '@verity/projections';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal, Roles } from '../../auth/roles.decorator';
import { ValidQuery } from '../../validation/zod.pipe';

const Id = z.string().min(1).max(100);
export const AuditQuery = z.strictObject({
  appraisalId: Id.optional(),
  employeeId: Id.optional(),
  actorId: Id.optional(),
  type: Id.optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const AuditExportQuery = AuditQuery.omit({ limit: true }).extend({
  format: z.enum(['csv', 'json']).default('json'),
});

async function* jsonLines(rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
  for await (const row of rows) yield `${JSON.stringify(row)}\n`;
}

/** The audit log of the caller's tenant (RLS scopes every query to the credential's tenant). */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  @Roles('auditor', 'hr', 'process-owner')
  async list(@CurrentPrincipal() principal: Principal, @ValidQuery(AuditQuery) query: AuditFilter) {
    return { items: await listAudit(this.pool, principal.tenantId, principal.role, query) };
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
        ? exportAuditCsv(this.pool, principal.tenantId, principal.role, filter)
        : jsonLines(exportAudit(this.pool, principal.tenantId, principal.role, filter));
    return new StreamableFile(Readable.from(lines), {
      type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      disposition: `attachment; filename="audit.${format === 'csv' ? 'csv' : 'jsonl'}"`,
    });
  }
}
