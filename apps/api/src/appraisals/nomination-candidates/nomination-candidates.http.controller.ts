import { Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { nominationCandidates, seesCandidateNames } from '@verity/domain';
import { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { CLOCK, todayOf, type Clock } from '../../clock/clock';
import { OrgRelations } from '../../directory/org-relations';
import { ReadAppraisalQuery } from '../read-appraisal/read-appraisal.query';
import { ValidQuery } from '../../validation/zod.pipe';
import { NominationCandidatesResponse } from './nomination-candidates.response';
import { ApiController, Route } from '../../openapi/route';
import { PERSON_ROLES } from '../../auth/role-sets';

/** A page of candidates by employee id: `after` is the `next` of the page before. */
export const NominationCandidatesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(200),
  after: z.string().min(1).max(100).optional(),
});

/**
 * The people picker of the 360's nominations: the appraisee's department colleagues as of today,
 * named for the appraisee, their manager chain and HR (ADR 0099). Whoever may not read the
 * appraisal gets 404, as for the appraisal itself.
 */
@ApiController('appraisals')
export class NominationCandidatesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly relations: OrgRelations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Route('GET', ':appraisalId/nomination-candidates', {
    roles: PERSON_ROLES,
    summary:
      "Colleagues of the appraisee's department who may be proposed as 360 raters (id and display name), for the nomination picker; a page at a time by employee id (`limit`, then `after` = the page's `next`)",
    answer: NominationCandidatesResponse,
  })
  async candidates(
    @CurrentPrincipal() me: Principal,
    @Param('appraisalId') appraisalId: string,
    @ValidQuery(NominationCandidatesQuery) page: z.output<typeof NominationCandidatesQuery>,
  ): Promise<z.output<typeof NominationCandidatesResponse>> {
    const view = await this.queries.execute(new ReadAppraisalQuery(me, appraisalId));
    const asOf = todayOf(this.clock);
    const subject = view.state.status === 'empty' ? null : view.state.subject;
    if (subject?.kind !== 'employee') return { appraisalId, asOf, items: [], next: null };
    const [directory, names] = await Promise.all([
      this.relations.directory(me.tenantId),
      this.relations.names(me.tenantId),
    ]);
    const named = seesCandidateNames(view.viewer);
    // Sorted here by code units, the order `after` compares in, whatever order the domain lists.
    const all = nominationCandidates(directory, subject.employeeId, asOf).sort();
    const rest = page.after === undefined ? all : all.filter((employeeId) => employeeId > page.after!);
    const ids = rest.slice(0, page.limit);
    return {
      appraisalId,
      asOf,
      items: ids.map((employeeId) => ({
        employeeId,
        name: named ? (names.get(employeeId) ?? null) : null,
      })),
      next: rest.length > ids.length ? ids[ids.length - 1] : null,
    };
  }
}
