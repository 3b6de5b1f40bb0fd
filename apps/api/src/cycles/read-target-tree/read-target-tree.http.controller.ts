import { Controller, Inject, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  AGGREGATES,
  Instant,
  dec,
  rollUpTargetTree,
  show,
  type Appraisal,
  appraisalDecider,
  cycleDecider,
  targetTreeDecider,
  fold,
} from '@verity/domain';
import { streamName, type EventStore, type RecordedEvent } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { CLOCK, type Clock } from '../../clock/clock';
import { notFound } from '../../errors/problem';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { ValidQuery } from '../../validation/zod.pipe';
import { TargetTreeResponse } from './target-tree.response';
import { Route } from '../../openapi/route';

export const TargetTreeQuery = z.strictObject({
  /** The tree and its results as they stood then (ISO instant); default now. */
  asOf: Instant.optional(),
});

/**
 * A cycle's target tree with each node's progress, as of any time: replayed from the tree's stream
 * and the cycle's appraisals (events recorded up to `asOf`), people's filed actuals at the leaves,
 * summed over the periods, and rolled up by each node's rule. No read model: it is the log as it was.
 */
@ApiTags('cycles')
@Controller('cycles')
export class ReadTargetTreeController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Route('GET', ':cycleId/target-tree', {
    roles: ['hr', 'process-owner', 'manager'],
    summary: "The cycle's target tree with each node's actual and progress, as of a time",
    answer: TargetTreeResponse,
  })
  async tree(
    @CurrentPrincipal() me: Principal,
    @Param('cycleId') cycleId: string,
    @ValidQuery(TargetTreeQuery) query: z.output<typeof TargetTreeQuery>,
  ) {
    const asOf = query.asOf ?? this.clock.now().toISOString();
    const until = (events: RecordedEvent[]) =>
      events.filter((event) => event.recordedAt.toISOString() <= asOf);
    const treeStream = streamName(AGGREGATES.targetTree, me.tenantId, cycleId);
    const cycleStream = streamName(AGGREGATES.cycle, me.tenantId, cycleId);
    const streams = await this.store.readStreams([treeStream, cycleStream], { tenantId: me.tenantId });
    const cycle = fold(cycleDecider, until(streams.get(cycleStream) ?? []));
    if (cycle.status === 'empty') throw notFound(`No cycle "${cycleId}".`);
    const tree = fold(targetTreeDecider, until(streams.get(treeStream) ?? []));

    // Each person's actuals per indicator, summed over the cycle's periods, as filed by then.
    const appraisals = await this.store.readStreams(
      cycle.appraisalIds.map((id) => streamName(AGGREGATES.appraisal, me.tenantId, id)),
      { tenantId: me.tenantId },
    );
    const totals = new Map<string, Map<string, string>>();
    for (const events of appraisals.values()) {
      const state: Appraisal = fold(appraisalDecider, until(events));
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
