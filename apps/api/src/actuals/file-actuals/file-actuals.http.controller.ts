import { Body, Controller, Headers } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { correlationIdOf } from '../../commands/command-routes';
import { csvOrJsonBody } from '../../openapi/csv-or-json-body';
import { ValidQuery } from '../../validation/zod.pipe';
import { FileActualsHandler } from './file-actuals.handler';
import {
  FileActualsJson,
  FileActualsQuery,
  actualsCsvExample,
  actualsJsonExample,
  readActualRows,
} from './file-actuals.request';
import { FiledActualsResponse } from './file-actuals.response';
import { Route } from '../../openapi/route';

/** Actuals from other systems (ERP, finance, production), many people and periods per request. */
@ApiTags('actuals')
@Controller('actuals')
export class FileActualsController {
  constructor(private readonly handler: FileActualsHandler) {}

  @Route('POST', 'bulk', {
    roles: ['integrator', 'hr'],
    scopes: ['actuals:write'],
    summary:
      'File actuals from another system, as JSON ({dryRun, rows}) or CSV (text/csv, ?dryRun=true): a result per row; a refused row writes nothing',
    description: `CSV example:\n\n\`\`\`\n${actualsCsvExample}\n\`\`\``,
    operationId: 'FileActuals',
    answer: FiledActualsResponse,
    status: 200,
  })
  @csvOrJsonBody(FileActualsJson, actualsJsonExample)
  async file(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @ValidQuery(FileActualsQuery) query: z.output<typeof FileActualsQuery>,
  ) {
    const { dryRun, rows } = readActualRows(headers['content-type'], body, query);
    const results = await this.handler.file(principal, rows, {
      dryRun,
      correlationId: correlationIdOf(headers),
    });
    const count = (status: string) => results.filter((result) => result.status === status).length;
    return {
      dryRun,
      filed: count('filed'),
      wouldFile: count('would-file'),
      unchanged: count('unchanged'),
      refused: count('refused'),
      rows: results,
    };
  }
}
