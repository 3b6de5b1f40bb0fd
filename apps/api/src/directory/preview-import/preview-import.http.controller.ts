import { Body, Headers } from '@nestjs/common';
import { AGGREGATES } from '@verity/domain';
import { streamName } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { CommandExecutor } from '../../commands/command-executor';
import { correlationIdOf } from '../../commands/command-routes';
import {
  DirectoryImportRoute,
  readImport,
  type RowIssue,
} from '../import-directory/import-directory.request';
import { importDecider } from '../import-directory/import-rows';
import { PreviewDirectoryImportResponse } from '../import-directory/import-directory.response';
import { ApiController } from '../../openapi/route';

/** One row of the file as the import would take it: its command, the id it names, its problems. */
export interface PreviewRow {
  row: number;
  command: string | null;
  id: string | null;
  accepted: boolean;
  issues: Omit<RowIssue, 'row'>[];
}

/**
 * The directory import's preview: the same reading and the same decisions as `POST
 * /directory/import` (through `CommandExecutor.decideOnly`), every row with its problems, and
 * nothing written. HR sees each refused row with its reason before importing.
 */
@ApiController('directory')
export class PreviewImportController {
  constructor(private readonly executor: CommandExecutor) {}

  @DirectoryImportRoute('import/preview', {
    summary:
      'Preview a directory import (CSV or JSON): each row accepted or refused with its reason; writes nothing',
    operationId: 'PreviewDirectoryImport',
    answer: PreviewDirectoryImportResponse,
  })
  async preview(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
  ) {
    const { commands, rows, issues: schemaIssues, total } = readImport(headers['content-type'], body);
    let decisionIssues: RowIssue[] = [];
    const { revision, events } = await this.executor.decideOnly({
      streamId: streamName(AGGREGATES.directory, principal.tenantId, principal.tenantId),
      decider: importDecider(rows, (issues) => {
        decisionIssues = issues;
      }),
      command: commands,
      envelope: { principal, correlationId: correlationIdOf(headers) },
      mustExist: true,
    });
    const issues = [...schemaIssues, ...decisionIssues];
    const commandOf = new Map(rows.map((row, index) => [row, commands[index]]));
    const previewRows: PreviewRow[] = Array.from({ length: total }, (_, index) => {
      const row = index + 1;
      const command = commandOf.get(row);
      const data = command?.data as { employeeId?: string; orgUnitId?: string } | undefined;
      const own = issues.filter((issue) => issue.row === row).map(({ row: _row, ...issue }) => issue);
      return {
        row,
        command: command?.type ?? null,
        id: data?.employeeId ?? data?.orgUnitId ?? null,
        accepted: own.length === 0,
        issues: own,
      };
    });
    const eventCounts = new Map<string, number>();
    for (const event of events) eventCounts.set(event.type, (eventCounts.get(event.type) ?? 0) + 1);
    return {
      rows: previewRows,
      accepted: previewRows.filter((row) => row.accepted).length,
      refused: previewRows.filter((row) => !row.accepted).length,
      /** True when `POST /directory/import` of the same body would import every row now. */
      importable: issues.length === 0,
      revision: revision?.toString() ?? null,
      events: issues.length === 0 ? [...eventCounts].map(([type, count]) => ({ type, count })) : [],
    };
  }
}
