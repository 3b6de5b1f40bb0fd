import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { nominationCandidates, seesCandidateNames } from '@verity/domain';
import type { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal, Roles } from '../../auth/roles.decorator';
import { CLOCK, type Clock } from '../../clock/clock';
import { OrgRelations } from '../../directory/org-relations';
import { jsonSchemaOf } from '../../openapi/json-schema';
import { ReadAppraisalQuery } from '../read-appraisal/read-appraisal.query';
import type { AppraisalView } from '../read-appraisal/read-appraisal.handler';
import { NominationCandidatesResponse } from './nomination-candidates.response';

/**
 * The people picker of the 360's nominations: the appraisee's department colleagues as of today,
 * named for the appraisee, their manager chain and HR (ADR 0099). Whoever may not read the
 * appraisal gets 404, as for the appraisal itself.
 */
@ApiTags('appraisals')
@Controller('appraisals')
export class NominationCandidatesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly relations: OrgRelations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':appraisalId/nomination-candidates')
  @Roles('employee', 'manager', 'hr', 'process-owner')
  @ApiOperation({
    summary:
      "Colleagues of the appraisee's department who may be proposed as 360 raters (id and display name), for the nomination picker",
  })
  @ApiOkResponse({ schema: jsonSchemaOf(NominationCandidatesResponse) as never })
  async candidates(
    @CurrentPrincipal() me: Principal,
    @Param('appraisalId') appraisalId: string,
  ): Promise<z.output<typeof NominationCandidatesResponse>> {
    const view: AppraisalView = await this.queries.execute(new ReadAppraisalQuery(me, appraisalId));
    const asOf = this.clock.now().toISOString().slice(0, 10);
    const subject = view.state.status === 'empty' ? null : view.state.subject;
    if (subject?.kind !== 'employee') return { appraisalId, asOf, items: [] };
    const [directory, names] = await Promise.all([
      this.relations.directory(me.tenantId),
      this.relations.names(me.tenantId),
    ]);
    const named = seesCandidateNames(view.viewer);
    return {
      appraisalId,
      asOf,
      items: nominationCandidates(directory, subject.employeeId, asOf).map((employeeId) => ({
        employeeId,
        name: named ? (names.get(employeeId) ?? null) : null,
      })),
    };
  }
}
