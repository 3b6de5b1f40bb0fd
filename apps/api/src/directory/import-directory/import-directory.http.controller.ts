import { Body, Headers, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { correlationIdOf } from '../../commands/command-routes';
import type { CommandOutcome } from '../../commands/command-executor';
import { parseIfMatch, setEtag, type Reply } from '../../event-store/etag';
import { Problem } from '../../errors/problem';
import { ImportDirectoryCommand } from './import-directory.command';
import { DirectoryImportRoute, readImport } from './import-directory.request';
import { ImportDirectoryResponse } from './import-directory.response';
import { ApiController } from '../../openapi/route';

/** Bulk directory import from CSV or JSON: every row's problem reported; a half-valid file imports nothing. */
@ApiController('directory')
export class ImportDirectoryController {
  constructor(private readonly bus: CommandBus) {}

  @DirectoryImportRoute('import', {
    summary: 'Import org units and employees from CSV (text/csv) or JSON ({rows}); all rows or none',
    operationId: 'ImportDirectory',
    answer: ImportDirectoryResponse,
  })
  async import(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const { commands, issues } = readImport(headers['content-type'], body);
    if (issues.length > 0) {
      throw new Problem(
        400,
        'invalid-import',
        `${issues.length} problem(s) in the import; nothing was imported.`,
        {
          errors: issues.slice(0, 200),
        },
      );
    }
    const rows = commands.map((_, index) => index + 1);
    const outcome: CommandOutcome = await this.bus.execute(
      new ImportDirectoryCommand(commands, rows, {
        principal,
        ifMatch: parseIfMatch(headers['if-match']),
        correlationId: correlationIdOf(headers),
        idempotencyKey: headers['idempotency-key'],
      }),
    );
    if (outcome.revision !== null) setEtag(reply, outcome.revision);
    return {
      imported: commands.length,
      revision: outcome.revision?.toString() ?? null,
      events: outcome.events.length,
    };
  }
}
