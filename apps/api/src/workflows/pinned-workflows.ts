import { Injectable } from '@nestjs/common';
import { AGGREGATES, pinWorkflowVersion, workflowDecider, type PinnedWorkflow } from '@verity/domain';
import { streamName } from '@verity/event-store';
import { StreamLoader } from '../event-store/stream-loader';

const MAX_CACHED = 1000;

/**
 * Published workflow versions, cached: a version never changes once published, so a hit is always right.
 * Both sides use it: commands pin the version a cycle runs on, reads show its steps and scoring.
 */
@Injectable()
export class PinnedWorkflows {
  private readonly cache = new Map<string, PinnedWorkflow>();

  constructor(private readonly loader: StreamLoader) {}

  async pinned(tenantId: string, workflowId: string, version: number): Promise<PinnedWorkflow> {
    const key = `${tenantId}\u0000${workflowId}\u0000${version}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const { state: workflow } = await this.loader.load(
      tenantId,
      streamName(AGGREGATES.workflow, tenantId, workflowId),
      workflowDecider,
    );
    const pinned = pinWorkflowVersion(workflow, version);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, pinned);
    return pinned;
  }
}
