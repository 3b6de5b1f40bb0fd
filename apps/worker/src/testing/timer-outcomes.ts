import type { EventStore } from '@verity/event-store';
import { timerOutcomes } from '@verity/projections/timers/testing/timer-fixtures';
import { eventually } from '../../../../test/support/eventually';

/**
 * The tenant's timer outcomes once there is at least one to read: the log is read below the
 * server's oldest open transaction (docs/adr/0005), so a committed outcome may be unreadable for a
 * moment. `timeoutMs` is an upper bound for a busy machine.
 */
export function timerOutcomesRecorded(store: EventStore, tenantId: string, timeoutMs: number, what: string) {
  return eventually(
    async () => {
      const outcomes = await timerOutcomes(store, tenantId);
      return outcomes.length > 0 && outcomes;
    },
    timeoutMs,
    what,
  );
}
