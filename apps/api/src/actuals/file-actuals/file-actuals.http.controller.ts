import { Body, Headers } from '@nestjs/common';
import type { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { correlationIdOf } from '../../commands/command-routes';
import { CsvOrJsonRoute } from '../../openapi/csv-or-json-body';
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
import { ApiController } from '../../openapi/route';

/** Actuals from other systems (ERP, finance, production), many people and periods per request. */
@ApiController('actuals')
export class FileActualsController {
  constructor(private readonly handler: FileActualsHandler) {}

  @CsvOrJsonRoute(
    'bulk',
    {
      roles: ['integrator', 'hr'],
      scopes: ['actuals:write'],
      summary:
        'File actuals from another system, as JSON ({dryRun, rows}) or CSV (text/csv, ?dryRun=true): a result per row; a refused row writes nothing',
      operationId: 'FileActuals',
      answer: FiledActualsResponse,
    },
    { json: FileActualsJson, example: actualsJsonExample, csvExample: actualsCsvExample },
  )
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
