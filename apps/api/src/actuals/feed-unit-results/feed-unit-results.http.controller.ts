import { Headers, Inject, Param } from '@nestjs/common';
import { z } from 'zod';
import { Id, UNIT_RESULT_SOURCE, unitResultFeedOf } from '@verity/domain';
import type { EventStore } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { correlationIdOf } from '../../commands/command-routes';
import { OrgRelations } from '../../directory/org-relations';
import { PinnedWorkflows } from '../../workflows/pinned-workflows';
import { notFound } from '../../errors/problem';
import { replayCycle } from '../../cycles/cycle-replay';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { ValidBody } from '../../validation/zod.pipe';
import { FileActualsHandler } from '../file-actuals/file-actuals.handler';
import { UnitResultsResponse } from './unit-results.response';
import { ApiController, Route } from '../../openapi/route';

export const FeedUnitResultsBody = z.strictObject({
  periodId: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4]|H[12])$/, 'a period id such as "2025-02"'),
  /** Answers what would be filed, writing nothing. */
  dryRun: z.boolean().default(false),
});

/**
 * A unit's result feeds its head's appraisal by the workflow's `unitResults` rules: for one period,
 * each org-unit target of a rule's indicator is rolled up over its people's actuals of that period,
 * and filed as the actual of the unit head's indicator, through the bulk filing of actuals (a
 * result per unit, idempotent: the same figure again is `unchanged`).
 */
@ApiController('actuals', 'cycles')
export class FeedUnitResultsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly relations: OrgRelations,
    private readonly workflows: PinnedWorkflows,
    private readonly handler: FileActualsHandler,
  ) {}

  @Route('POST', ':cycleId/unit-results', {
    roles: ['hr'],
    summary:
      "Feed each unit's result for a period (its target rolled up) to the unit head's appraisal, by the workflow's unitResults rules",
    operationId: 'FeedUnitResults',
    answer: UnitResultsResponse,
    status: 200,
  })
  async feed(
    @CurrentPrincipal() me: Principal,
    @Param('cycleId') cycleId: string,
    @ValidBody(FeedUnitResultsBody, { periodId: '2025-02' }) body: z.output<typeof FeedUnitResultsBody>,
    @Headers() headers: Record<string, string | undefined>,
  ) {
    const tenantId = me.tenantId;
    const { cycle, tree, appraisals } = await replayCycle(this.store, tenantId, Id.parse(cycleId));
    const { definition } = await this.workflows.pinned(tenantId, cycle.workflowId, cycle.workflowVersion);
    const results = unitResultFeedOf({
      tree,
      // Each appraisal of the cycle: the people's actuals of that period, and the heads' appraisals.
      appraisals,
      directory: await this.relations.directory(tenantId),
      rules: definition.unitResults ?? [],
      periodId: body.periodId,
    });
    if (results === null) throw notFound(`No period "${body.periodId}" in cycle "${cycleId}".`);
    const fed = results.filter((result) => result.appraisalId !== null);
    const rows = fed.map((result, index) => ({
      row: index + 1,
      value: {
        appraisalId: result.appraisalId!,
        periodId: body.periodId,
        indicatorId: result.indicatorId,
        actual: result.actual,
        system: UNIT_RESULT_SOURCE,
        reference: result.targetId,
      },
    }));
    const filed = rows.length
      ? await this.handler.file(me, rows, { dryRun: body.dryRun, correlationId: correlationIdOf(headers) })
      : [];
    return {
      cycleId,
      periodId: body.periodId,
      dryRun: body.dryRun,
      units: results.map(({ appraisalId: _head, ...result }, i) => {
        const index = fed.indexOf(results[i]);
        return {
          ...result,
          // A unit without a single head, or whose head is not appraised in this cycle, feeds nothing.
          result: index === -1 ? { status: 'no-head-appraisal' } : filed[index],
        };
      }),
    };
  }
}
