import { Injectable } from '@nestjs/common';
import type { PinnedWorkflow } from '@verity/domain';
import { StreamLoader } from '../event-store/stream-loader';
import { loadPinnedWorkflow } from './aggregates';

const MAX_CACHED = 1000;

/** Published workflow versions, cached: a version never changes once published, so a hit is always right. */
@Injectable()
export class PinnedWorkflows {
  private readonly cache = new Map<string, PinnedWorkflow>();

  constructor(private readonly loader: StreamLoader) {}

  async pinned(tenantId: string, workflowId: string, version: number): Promise<PinnedWorkflow> {
    const key = `${tenantId}\u0000${workflowId}\u0000${version}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const pinned = await loadPinnedWorkflow(
      async (tenant, streamId, decider) => (await this.loader.load(tenant, streamId, decider)).state,
      tenantId,
      workflowId,
      version,
    );
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, pinned);
    return pinned;
  }
}
