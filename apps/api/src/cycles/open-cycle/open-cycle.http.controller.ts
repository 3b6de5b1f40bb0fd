import { Headers, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { z } from 'zod';
import { subjectsInScope } from '@verity/domain';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { CommandEndpoint, sendCommand } from '../../commands/command-routes';
import { OrgRelations } from '../../directory/org-relations';
import type { Reply } from '../../event-store/etag';
import { claimOf } from '../../idempotency/idempotency.interceptor';
import { ValidBody } from '../../validation/zod.pipe';
import { OpenCycleRequest, openCycleExample } from './open-cycle.request';
import { ApiController } from '../../openapi/route';
import { HR_AND_PROCESS_OWNERS } from '../../auth/role-sets';

@ApiController('cycles')
export class OpenCycleController {
  constructor(
    private readonly bus: CommandBus,
    private readonly relations: OrgRelations,
  ) {}

  @CommandEndpoint('', 'OpenCycle', {
    roles: HR_AND_PROCESS_OWNERS,
    summary: 'Open a cycle: pins a workflow version and spawns one appraisal per subject',
  })
  async open(
    @CurrentPrincipal() principal: Principal,
    @ValidBody(OpenCycleRequest, openCycleExample) body: z.output<typeof OpenCycleRequest>,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: Reply,
    @Req() request: object,
  ) {
    const { orgUnitIds, ...command } = body;
    const subjects =
      command.subjects ??
      subjectsInScope(await this.relations.directory(principal.tenantId), orgUnitIds ?? [], body);
    return sendCommand(
      this.bus,
      'OpenCycle',
      { ...command, subjects },
      principal,
      headers,
      reply,
      claimOf(request),
    );
  }
}
