import {
  AGGREGATES,
  appraisalDecider,
  cycleDecider,
  fold,
  targetTreeDecider,
  type Appraisal,
  type Cycle,
  type TargetTree,
} from '@verity/domain';
import { streamName, type EventStore, type RecordedEvent } from '@verity/event-store';
import { notFound } from '../errors/problem';

/** A cycle, its target tree and its appraisals, each folded from its stream. */
export interface ReplayedCycle {
  cycle: Exclude<Cycle, { status: 'empty' }>;
  tree: TargetTree;
  appraisals: Appraisal[];
}

/**
 * The cycle (404 if there is none), its target tree and the appraisals it opened, replayed from
 * their streams in two round trips, each stream cut to the events `until` keeps (default: all):
 * what a tree's progress and the units' results are computed from, without a read model.
 */
export async function replayCycle(
  store: EventStore,
  tenantId: string,
  cycleId: string,
  until: (events: RecordedEvent[]) => RecordedEvent[] = (events) => events,
): Promise<ReplayedCycle> {
  const treeStream = streamName(AGGREGATES.targetTree, tenantId, cycleId);
  const cycleStream = streamName(AGGREGATES.cycle, tenantId, cycleId);
  const streams = await store.readStreams([treeStream, cycleStream], { tenantId });
  const cycle = fold(cycleDecider, until(streams.get(cycleStream) ?? []));
  if (cycle.status === 'empty') throw notFound(`No cycle "${cycleId}".`);
  const tree = fold(targetTreeDecider, until(streams.get(treeStream) ?? []));
  const appraisals = await store.readStreams(
    cycle.appraisalIds.map((id) => streamName(AGGREGATES.appraisal, tenantId, id)),
    { tenantId },
  );
  return {
    cycle,
    tree,
    appraisals: [...appraisals.values()].map((events) => fold(appraisalDecider, until(events))),
  };
}
