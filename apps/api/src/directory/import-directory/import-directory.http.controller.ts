import { Body, Controller, Headers, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { correlationIdOf } from '../../commands/command-routes';
import type { CommandOutcome } from '../../commands/command-executor';
import { etagOf, parseIfMatch } from '../../event-store/etag';
import { Problem } from '../../errors/problem';
import { csvOrJsonBody } from '../../openapi/csv-or-json-body';
import { ImportDirectoryCommand } from './import-directory.command';
import {
  ImportDirectoryJson,
  importCsvExample,
  importJsonExample,
  readImport,
} from './import-directory.request';
import { ImportDirectoryResponse } from './import-directory.response';
import { Route } from '../../openapi/route';

type Reply = { status(code: number): unknown; header(name: string, value: string): unknown };

/** Bulk directory import from CSV or JSON: every row's problem reported; a half-valid file imports nothing. */
@ApiTags('directory')
@Controller('directory')
export class ImportDirectoryController {
  constructor(private readonly bus: CommandBus) {}

  @Route('POST', 'import', {
    roles: ['hr'],
    summary: 'Import org units and employees from CSV (text/csv) or JSON ({rows}); all rows or none',
    description: `CSV example:\n\n\`\`\`\n${importCsvExample}\n\`\`\``,
    operationId: 'ImportDirectory',
    answer: ImportDirectoryResponse,
    status: 200,
  })
  @csvOrJsonBody(ImportDirectoryJson, importJsonExample)
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
    if (outcome.revision !== null) reply.header('ETag', etagOf(outcome.revision));
    return {
      imported: commands.length,
      revision: outcome.revision?.toString() ?? null,
      events: outcome.events.length,
    };
  }
}
