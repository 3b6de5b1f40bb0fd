import { AGGREGATES, pinWorkflowVersion, type PinnedWorkflow, workflowDecider, fold } from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';

/** Published workflow versions, loaded from their stream once: a published version never changes. */
export class WorkflowVersions {
  private readonly pinned = new Map<string, Promise<PinnedWorkflow>>();

  constructor(private readonly store: EventStore) {}

  version(tenantId: string, workflowId: string, version: number): Promise<PinnedWorkflow> {
    const key = `${tenantId}/${workflowId}/${version}`;
    let found = this.pinned.get(key);
    if (!found) {
      found = this.load(tenantId, workflowId, version);
      this.pinned.set(key, found);
      // A failed read (or a version not yet published) is not remembered.
      found.catch(() => this.pinned.delete(key));
    }
    return found;
  }

  private async load(tenantId: string, workflowId: string, version: number): Promise<PinnedWorkflow> {
    const events = await this.store.readStream(streamName(AGGREGATES.workflow, tenantId, workflowId), {
      tenantId,
    });
    const state = fold(workflowDecider, events);
    return pinWorkflowVersion(state, version);
  }
}
