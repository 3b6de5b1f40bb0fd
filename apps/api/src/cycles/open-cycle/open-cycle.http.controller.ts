import { applyDecorators, Controller, Headers, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { subjectsInScope } from '@verity/domain';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { commandAnswerResponses, sendCommand } from '../../commands/command-routes';
import { OrgRelations } from '../../directory/org-relations';
import { ValidBody } from '../../validation/zod.pipe';
import { OpenCycleRequest, openCycleExample } from './open-cycle.request';
import { Route } from '../../openapi/route';

type Reply = { status(code: number): unknown; header(name: string, value: string): unknown };

@ApiTags('cycles')
@Controller('cycles')
export class OpenCycleController {
  constructor(
    private readonly bus: CommandBus,
    private readonly relations: OrgRelations,
  ) {}

  @Route('POST', '', {
    roles: ['hr', 'process-owner'],
    summary: 'Open a cycle: pins a workflow version and spawns one appraisal per subject',
    operationId: 'OpenCycle',
    status: 200,
  })
  @applyDecorators(...commandAnswerResponses('OpenCycle'))
  async open(
    @CurrentPrincipal() principal: Principal,
    @ValidBody(OpenCycleRequest, openCycleExample) body: z.output<typeof OpenCycleRequest>,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const { orgUnitIds, ...command } = body;
    const subjects =
      command.subjects ??
      subjectsInScope(await this.relations.directory(principal.tenantId), orgUnitIds ?? [], body);
    return sendCommand(this.bus, 'OpenCycle', { ...command, subjects }, principal, headers, reply);
  }
}
