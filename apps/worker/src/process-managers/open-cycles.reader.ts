import {
  membershipChangeOf,
  membershipOf,
  type CycleEvent,
  type CycleMembership,
  type DirectoryEvent,
  type ProcessFacts,
  type RecordedChange,
} from '@verity/domain';
import { comparePositions, START, type EventStore } from '@verity/event-store';
import type { WorkflowVersions } from '@verity/projections/timers';

type CycleOpened = Extract<CycleEvent, { type: 'CycleOpened' }>['data'];
type MembershipEvent = Extract<
  DirectoryEvent,
  { type: 'EmployeeHired' | 'EmployeeTransferred' | 'EmployeeLeft' }
>;

const MEMBERSHIP_EVENTS = new Set(['EmployeeHired', 'EmployeeTransferred', 'EmployeeLeft']);

interface TenantCycles {
  /** How far the tenant's log has been read. */
  after: string;
  opened: Map<string, CycleOpened>;
  /** Per cycle: the log position of its opening. */
  openedAt: Map<string, string>;
  closed: Set<string>;
  /** Per cycle: everyone an `AppraisalOpened` names (the scope's and the joiners'). */
  appraised: Map<string, Set<string>>;
  /** Per cycle: how many directory changes were recorded before it opened. */
  changesBefore: Map<string, number>;
  changes: RecordedChange[];
}

/**
 * The facts the membership process manager needs (ADR 0146, 0147): a tenant's open cycles, each
 * with the membership rule of its pinned workflow version and whom it appraises, and the tenant's
 * directory changes in the order recorded. The tenant's log is read once and then only from where
 * the last read stopped, so a directory event costs one short read, not a scan.
 */
export class OpenCyclesReader {
  private readonly tenants = new Map<string, TenantCycles>();

  constructor(
    private readonly store: EventStore,
    private readonly workflows: WorkflowVersions,
  ) {}

  /**
   * `asOf`: the position of the event being handled. Only the cycles opened at or before it are
   * listed, so a change recorded before a cycle opened is that cycle's catch-up, never both.
   */
  async facts(tenantId: string, asOf?: string): Promise<ProcessFacts> {
    const known: TenantCycles = this.tenants.get(tenantId) ?? {
      after: START,
      opened: new Map(),
      openedAt: new Map(),
      closed: new Set(),
      appraised: new Map(),
      changesBefore: new Map(),
      changes: [],
    };
    for (;;) {
      const page = await this.store.readAll({ after: known.after, maxCount: 1000, tenantId });
      for (const event of page.events) {
        if (event.type === 'CycleOpened') {
          const data = event.data as CycleOpened;
          known.opened.set(data.cycleId, data);
          known.openedAt.set(data.cycleId, event.position);
          known.changesBefore.set(data.cycleId, known.changes.length);
        } else if (event.type === 'CycleClosed')
          known.closed.add((event.data as { cycleId: string }).cycleId);
        else if (event.type === 'AppraisalOpened') {
          const { cycleId, subject } = event.data as {
            cycleId: string;
            subject: { kind: string; employeeId?: string };
          };
          if (subject.kind === 'employee' && subject.employeeId)
            known.appraised.set(cycleId, (known.appraised.get(cycleId) ?? new Set()).add(subject.employeeId));
        } else if (MEMBERSHIP_EVENTS.has(event.type))
          known.changes.push({
            eventId: event.eventId,
            change: membershipChangeOf(event as unknown as MembershipEvent),
          });
      }
      known.after = page.next;
      if (page.events.length < 1000) break;
    }
    this.tenants.set(tenantId, known);
    const openCycles: CycleMembership[] = [];
    for (const opened of known.opened.values()) {
      if (known.closed.has(opened.cycleId)) continue;
      if (asOf !== undefined && comparePositions(known.openedAt.get(opened.cycleId)!, asOf) > 0) continue;
      const workflow = await this.workflows.version(tenantId, opened.workflowId, opened.workflowVersion);
      openCycles.push({
        opened,
        rule: membershipOf(workflow.definition),
        appraised: known.appraised.get(opened.cycleId) ?? new Set(),
        changesBefore: known.changesBefore.get(opened.cycleId) ?? 0,
      });
    }
    return { openCycles, directoryChanges: known.changes };
  }
}
