import { Inject } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '@verity/platform';
import { processOwnersOf, reportsOf, unitAndBelow, unitsActedOnBy } from '@verity/domain';
import { listInbox, slaReport } from '@verity/projections';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { OrgRelations } from '../../directory/org-relations';
import { CLOCK, type Clock } from '../../clock/clock';
import { ValidQuery, QueryId } from '../../validation/zod.pipe';
import { InboxResponse, SlaResponse } from './inbox.response';
import { ApiController, Route } from '../../openapi/route';
import { HR_AND_PROCESS_OWNERS, PERSON_ROLES } from '../../auth/role-sets';

export const InboxQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const SlaQuery = z.strictObject({
  groupBy: z.enum(['unit', 'person', 'process-owner']).default('unit'),
  cycleId: QueryId.optional(),
  /** The unit and the units below it. */
  orgUnitId: QueryId.optional(),
});

/**
 * The inbox read model: what is due for the caller (steps assigned to them by name, or by a role
 * they hold for the appraisee today — manager, skip-level, peer, HR, process owner — and steps
 * escalated to them), and the SLA report per unit, person or process owner.
 */
@ApiController('inbox')
export class InboxController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly relations: OrgRelations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Route('GET', '', {
    roles: PERSON_ROLES,
    summary: "The caller's open steps, soonest due first, with overdue flag and escalation level",
    answer: InboxResponse,
  })
  async inbox(@CurrentPrincipal() me: Principal, @ValidQuery(InboxQuery) query: z.output<typeof InboxQuery>) {
    const { now, at, directory } = await this.directoryNow(me);
    const relatives = me.employeeId
      ? reportsOf(directory, me.employeeId, at)
      : { reports: [], skipReports: [], peers: [] };
    const items = await listInbox(
      this.pool,
      me.tenantId,
      {
        employeeId: me.employeeId ?? null,
        ...relatives,
        units: unitsActedOnBy(me, directory, at),
        hr: me.role === 'hr',
        processes:
          me.role === 'process-owner' && me.employeeId ? processOwnersOf(directory, at, me.employeeId) : [],
      },
      now,
      query.limit,
    );
    return { at, items };
  }

  @Route('GET', 'sla', {
    roles: HR_AND_PROCESS_OWNERS,
    summary: 'SLA compliance per step kind and activity counts, by unit, by person or by process owner',
    answer: SlaResponse,
  })
  async sla(@CurrentPrincipal() me: Principal, @ValidQuery(SlaQuery) query: z.output<typeof SlaQuery>) {
    const { now, at, directory } = await this.directoryNow(me);
    const items = await slaReport(
      this.pool,
      me.tenantId,
      {
        groupBy: query.groupBy,
        cycleId: query.cycleId,
        orgUnitIds: query.orgUnitId ? unitAndBelow(directory, query.orgUnitId, at) : undefined,
        owners: processOwnersOf(directory, at),
      },
      now,
    );
    return { at, groupBy: query.groupBy, items };
  }

  /** Now (read once per request, also as ISO text) and the tenant's directory the caller's relations are found in. */
  private async directoryNow(me: Principal) {
    const now = this.clock.now();
    return { now, at: now.toISOString(), directory: await this.relations.directory(me.tenantId) };
  }
}
