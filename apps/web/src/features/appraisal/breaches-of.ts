import type { AppraisalEvent } from './queries';

export type BreachStatus = 'breached' | 'contested' | 'upheld' | 'withdrawn';

/** A red line filed against the appraisee, as the appraisal's own events tell it. */
export interface FiledBreach {
  breachId: string;
  redLineId: string;
  status: BreachStatus;
  filedAt: string;
  /** What HR said happened; null when the API withholds the words from the reader or they were erased. */
  description: string | null;
  evidence: string | null;
  /** The appraisee's reason, once contested. */
  contestReason: string | null;
  /** HR's reason for upholding or withdrawing it, if it gave one. */
  decisionReason: string | null;
}

const DECISIONS: Record<string, BreachStatus> = {
  RedLineContested: 'contested',
  RedLineUpheld: 'upheld',
  RedLineWithdrawn: 'withdrawn',
};

const word = (pii: unknown, key: string): string | null => {
  const value = pii && typeof pii === 'object' ? (pii as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : null;
};

/**
 * The breaches filed on an appraisal, oldest first, folded from its event stream rather than from
 * its state: the state keeps only each breach's status, the events also carry the words (what
 * happened, the contest's reason) and are read back at once after a write.
 */
export function breachesOf(events: readonly AppraisalEvent[]): FiledBreach[] {
  const byId = new Map<string, FiledBreach>();
  for (const event of events) {
    const breachId = typeof event.data.breachId === 'string' ? event.data.breachId : null;
    if (!breachId) continue;
    if (event.type === 'RedLineBreached') {
      byId.set(breachId, {
        breachId,
        redLineId: String(event.data.redLineId),
        status: 'breached',
        filedAt: event.recordedAt,
        description: word(event.data.pii, 'description'),
        evidence: word(event.data.pii, 'evidence'),
        contestReason: null,
        decisionReason: null,
      });
      continue;
    }
    const status = DECISIONS[event.type];
    const breach = byId.get(breachId);
    if (!status || !breach) continue;
    const reason = word(event.data.pii, 'reason');
    byId.set(breachId, {
      ...breach,
      status,
      ...(status === 'contested' ? { contestReason: reason } : { decisionReason: reason }),
    });
  }
  return [...byId.values()];
}
