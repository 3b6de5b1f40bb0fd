import { Inject, Param } from '@nestjs/common';
import { z } from 'zod';
import { Instant, dec, rollUpTargetTree, show } from '@verity/domain';
import type { EventStore } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { CLOCK, type Clock } from '../../clock/clock';
import { replayCycle } from '../cycle-replay';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { ValidQuery } from '../../validation/zod.pipe';
import { TargetTreeResponse } from './target-tree.response';
import { ApiController, Route } from '../../openapi/route';
import { OVERSEEING_ROLES } from '../../auth/role-sets';

export const TargetTreeQuery = z.strictObject({
  /** The tree and its results as they stood then (ISO instant); default now. */
  asOf: Instant.optional(),
});

/**
 * A cycle's target tree with each node's progress, as of any time: replayed from the tree's stream
 * and the cycle's appraisals (events recorded up to `asOf`), people's filed actuals at the leaves,
 * summed over the periods, and rolled up by each node's rule. No read model: it is the log as it was.
 */
@ApiController('cycles')
export class ReadTargetTreeController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Route('GET', ':cycleId/target-tree', {
    roles: OVERSEEING_ROLES,
    summary: "The cycle's target tree with each node's actual and progress, as of a time",
    answer: TargetTreeResponse,
  })
  async tree(
    @CurrentPrincipal() me: Principal,
    @Param('cycleId') cycleId: string,
    @ValidQuery(TargetTreeQuery) query: z.output<typeof TargetTreeQuery>,
  ) {
    const asOf = query.asOf ?? this.clock.now().toISOString();
    const { tree, appraisals } = await replayCycle(this.store, me.tenantId, cycleId, (events) =>
      events.filter((event) => event.recordedAt.toISOString() <= asOf),
    );

    // Each person's actuals per indicator, summed over the cycle's periods, as filed by then.
    const totals = new Map<string, Map<string, string>>();
    for (const state of appraisals) {
      if (state.status === 'empty' || state.subject.kind !== 'employee') continue;
      const byIndicator = new Map<string, string>();
      for (const period of Object.values(state.periods))
        for (const [indicatorId, actual] of Object.entries(period.actuals))
          byIndicator.set(indicatorId, show(dec(byIndicator.get(indicatorId) ?? '0').plus(dec(actual))));
      totals.set(state.subject.employeeId, byIndicator);
    }
    return {
      cycleId,
      asOf,
      targets: rollUpTargetTree(
        tree,
        (employeeId, indicatorId) => totals.get(employeeId)?.get(indicatorId) ?? null,
      ),
    };
  }
}
