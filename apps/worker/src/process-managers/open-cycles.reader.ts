import { membershipOf, type CycleEvent, type CycleMembership, type ProcessFacts } from '@verity/domain';
import { START, type EventStore } from '@verity/event-store';
import type { WorkflowVersions } from '@verity/projections/timers';

type CycleOpened = Extract<CycleEvent, { type: 'CycleOpened' }>['data'];

interface TenantCycles {
  /** How far the tenant's log has been read. */
  after: string;
  opened: Map<string, CycleOpened>;
  closed: Set<string>;
}

/**
 * The facts the membership process manager needs (ADR 0146): a tenant's open cycles, each with the
 * membership rule of its pinned workflow version. The tenant's log is read once and then only from
 * where the last read stopped (cycles are few and only ever opened and closed), so a directory
 * event costs one short read, not a scan.
 */
export class OpenCyclesReader {
  private readonly tenants = new Map<string, TenantCycles>();

  constructor(
    private readonly store: EventStore,
    private readonly workflows: WorkflowVersions,
  ) {}

  async facts(tenantId: string): Promise<ProcessFacts> {
    const known = this.tenants.get(tenantId) ?? { after: START, opened: new Map(), closed: new Set() };
    for (;;) {
      const page = await this.store.readAll({ after: known.after, maxCount: 1000, tenantId });
      for (const event of page.events) {
        if (event.type === 'CycleOpened') {
          const data = event.data as CycleOpened;
          known.opened.set(data.cycleId, data);
        } else if (event.type === 'CycleClosed')
          known.closed.add((event.data as { cycleId: string }).cycleId);
      }
      known.after = page.next;
      if (page.events.length < 1000) break;
    }
    this.tenants.set(tenantId, known);
    const openCycles: CycleMembership[] = [];
    for (const opened of known.opened.values()) {
      if (known.closed.has(opened.cycleId)) continue;
      const workflow = await this.workflows.version(tenantId, opened.workflowId, opened.workflowVersion);
      openCycles.push({ opened, rule: membershipOf(workflow.definition) });
    }
    return { openCycles };
  }
}
