import type { DueTimer } from '@verity/projections/timers';

export const TIMERS_QUEUE = 'timers';

/** A timer job carries ids and the due time only, never personal data. */
export type FireTimerJob = DueTimer;

/** `tmr-<tenant>-<timerKey>`: deterministic, so setting a timer twice is one job; never a `:` (BullMQ). */
export function timerJobId(tenantId: string, timerKey: string): string {
  const id = `tmr-${tenantId}-${timerKey}`;
  if (id.includes(':')) throw new Error(`a timer job id may not contain ":" (${tenantId}, ${timerKey})`);
  return id;
}

export const isTimerJobId = (id: string) => id.startsWith('tmr-');
