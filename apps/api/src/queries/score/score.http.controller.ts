import { Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { z } from 'zod';
import { readableAppraisees, readsUnitScores } from '@verity/domain';
import type { RecordedEvent } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';
import {
  eventsUpTo,
  listScores,
  pinnedVersionOf,
  scoreView,
  unitScores,
  whatIfPeriod,
  type ScoreView,
} from '@verity/projections';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { OrgRelations } from '../../directory/org-relations';
import { IncludeSubUnits, unitScope } from '../../directory/unit-scope';
import { PinnedWorkflows } from '../../workflows/pinned-workflows';
import { CLOCK, type Clock } from '../../clock/clock';
import { ReadAppraisalQuery } from '../../appraisals/read-appraisal/read-appraisal.query';
import { notFound } from '../../errors/problem';
import { ValidQuery, QueryId } from '../../validation/zod.pipe';
import {
  ScoreListResponse,
  ScoreViewResponse,
  UnitScoresResponse,
  WhatIfPeriodResponse,
} from './score.response';
import { ApiController, Route } from '../../openapi/route';
import { OVERSEEING_ROLES, PERSON_ROLES } from '../../auth/role-sets';

export const ScoresQuery = z.strictObject({
  cycleId: QueryId.optional(),
  orgUnitId: QueryId.optional(),
  includeSubUnits: IncludeSubUnits,
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const UnitScoresQuery = ScoresQuery.pick({ cycleId: true, includeSubUnits: true });
export const AsOfQuery = z
  .strictObject({
    at: z.iso.datetime({ offset: true }).optional(),
    position: z
      .string()
      .regex(/^\d{1,40}$/, 'must be a decimal position')
      .optional(),
  })
  .refine((q) => q.at === undefined || q.position === undefined, {
    message: 'give at most one of `at` (an ISO time) or `position` (neither: as of now)',
    path: ['at'],
  });
export const WhatIfQuery = z.strictObject({
  periodId: z.string().min(1).max(20),
  workflowVersion: z.coerce.number().int().positive(),
});

/**
 * Scores of the caller's tenant: the list and a unit's distribution and calibration from the score
 * read model (row-level security scopes every query to the credential's tenant); one appraisal's
 * score, live or as of a past time or position, replayed from its stream; and a period recomputed
 * under another workflow version (writing nothing).
 */
@ApiController('scores')
export class ScoreController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queries: QueryBus,
    private readonly relations: OrgRelations,
    private readonly workflows: PinnedWorkflows,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** undefined: the caller reads everyone; else the appraisees they may read (the domain's one rule). */
  private async readable(me: Principal): Promise<string[] | undefined> {
    return readableAppraisees(
      me,
      await this.relations.directory(me.tenantId),
      this.clock.now().toISOString(),
    );
  }

  /**
   * The unit (and those below it); a unit the tenant's directory does not know, or one outside the
   * caller's line (`readsUnitScores`), is not found.
   */
  private async units(
    me: Principal,
    orgUnitId: string,
    includeSubUnits: z.output<typeof IncludeSubUnits>,
  ): Promise<string[]> {
    const directory = await this.relations.directory(me.tenantId);
    return unitScope(directory, orgUnitId, includeSubUnits, this.clock.now().toISOString());
  }

  @Route('GET', '', {
    roles: PERSON_ROLES,
    summary: 'Appraisal scores: running and annual score, grade, bonus coefficient, calibration',
    answer: ScoreListResponse,
  })
  async list(
    @CurrentPrincipal() me: Principal,
    @ValidQuery(ScoresQuery) query: z.output<typeof ScoresQuery>,
  ) {
    const orgUnitIds = query.orgUnitId
      ? await this.units(me, query.orgUnitId, query.includeSubUnits)
      : undefined;
    const items = await listScores(this.pool, me.tenantId, {
      cycleId: query.cycleId,
      orgUnitIds,
      employeeIds: await this.readable(me),
      limit: query.limit,
    });
    return { items };
  }

  @Route('GET', 'org-units/:orgUnitId', {
    roles: OVERSEEING_ROLES,
    summary: "A unit's grade and score distribution, forced-distribution check and calibration status",
    answer: UnitScoresResponse,
  })
  async unit(
    @CurrentPrincipal() me: Principal,
    @Param('orgUnitId') orgUnitId: string,
    @ValidQuery(UnitScoresQuery) query: z.output<typeof UnitScoresQuery>,
  ) {
    const orgUnitIds = await this.units(me, QueryId.parse(orgUnitId), query.includeSubUnits);
    // The heads of the unit's line read the whole unit's distribution; another manager reads it
    // counting only the people they may read (their team board), never the others' grades.
    const directory = await this.relations.directory(me.tenantId);
    const whole = readsUnitScores(me, directory, orgUnitId, this.clock.now().toISOString());
    const employeeIds = whole ? undefined : await this.readable(me);
    return {
      orgUnitId,
      orgUnitIds,
      ...(await unitScores(this.pool, me.tenantId, { cycleId: query.cycleId, orgUnitIds, employeeIds })),
    };
  }

  @Route('GET', 'appraisals/:appraisalId', {
    roles: PERSON_ROLES,
    summary:
      "An appraisal's score: each period's indicators, vetoes and red lines (names, states, effects), " +
      'running and annual score, and whether the annual score is stale and why',
    answer: ScoreViewResponse,
  })
  async appraisal(@CurrentPrincipal() me: Principal, @Param('appraisalId') appraisalId: string) {
    return this.view(me, appraisalId, {});
  }

  @Route('GET', 'appraisals/:appraisalId/as-of', {
    roles: PERSON_ROLES,
    summary:
      'The score as it stood at a past time (`at`) or global position (`position`), replayed; the same shape as the live score',
    answer: ScoreViewResponse,
  })
  async asOf(
    @CurrentPrincipal() me: Principal,
    @Param('appraisalId') appraisalId: string,
    @ValidQuery(AsOfQuery) query: z.output<typeof AsOfQuery>,
  ) {
    return this.view(
      me,
      appraisalId,
      query.position !== undefined
        ? { position: query.position }
        : { time: query.at ? new Date(query.at) : this.clock.now() },
    );
  }

  /**
   * The live score and the score as of a point are one function of the appraisal's stream (ADR 0110):
   * one shape, and a stale marker that agrees with the write side's `score-stale` refusal.
   */
  private async view(
    me: Principal,
    appraisalId: string,
    at: { position?: string; time?: Date },
  ): Promise<ScoreView> {
    const events = eventsUpTo(await this.stream(me, appraisalId), at);
    const pinned = pinnedVersionOf(events);
    const view =
      pinned &&
      scoreView(
        events,
        (await this.workflows.pinned(me.tenantId, pinned.workflowId, pinned.version)).definition,
      );
    if (!view) throw notFound(`No score for appraisal "${appraisalId}" at that point.`);
    return view;
  }

  @Route('GET', 'appraisals/:appraisalId/what-if', {
    roles: OVERSEEING_ROLES,
    summary: 'A period recomputed under another published workflow version; nothing is written',
    answer: WhatIfPeriodResponse,
  })
  async whatIf(
    @CurrentPrincipal() me: Principal,
    @Param('appraisalId') appraisalId: string,
    @ValidQuery(WhatIfQuery) query: z.output<typeof WhatIfQuery>,
  ) {
    const stream = await this.stream(me, appraisalId);
    const workflowId = (stream[0].data as { workflowId: string }).workflowId;
    const pinned = await this.workflows.pinned(me.tenantId, workflowId, query.workflowVersion);
    return {
      appraisalId,
      workflowId,
      ...whatIfPeriod(stream, query.periodId, query.workflowVersion, pinned.definition),
    };
  }

  /**
   * The appraisal's stream, read as the appraisal itself is read (one rule: `seesAppraisal`);
   * 404 for one the caller may not read, as for an unknown one.
   */
  private async stream(me: Principal, appraisalId: string): Promise<RecordedEvent[]> {
    const view = await this.queries.execute(new ReadAppraisalQuery(me, QueryId.parse(appraisalId)));
    return view.events;
  }
}
