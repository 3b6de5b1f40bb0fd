import { evolveAppraisal, initialAppraisalState, type Appraisal, type AppraisalEvent } from '@verity/domain';
import type { RecordedEvent } from '@verity/event-store';

export interface ScoreAsOf {
  /** How many of the stream's events were replayed. */
  replayed: number;
  workflowVersion: number | null;
  status: Appraisal['status'];
  periods: {
    periodId: string;
    status: string;
    result: { score: string; grade: string; bonusCoefficient: string; vetoed: boolean } | null;
  }[];
  vetoes: Record<string, 'breached' | 'waived'>;
  annual: { score: string; grade: string; bonusCoefficient: string } | null;
}

/**
 * The score of one appraisal as it stood at a position (inclusive) or a time: replays that stream's
 * events up to the point through the domain's own `evolveAppraisal`, so it can never disagree with
 * the write side. Positions compare as integers (the PostgreSQL store's global sequence).
 */
export function scoreAsOf(stream: RecordedEvent[], at: { position?: string; time?: Date }): ScoreAsOf {
  const upTo = stream.filter(
    (e) =>
      (at.position === undefined || BigInt(e.position) <= BigInt(at.position)) &&
      (at.time === undefined || e.recordedAt.getTime() <= at.time.getTime()),
  );
  const state = upTo.reduce(
    (s, e) => evolveAppraisal(s, { type: e.type, data: e.data } as AppraisalEvent),
    initialAppraisalState(),
  );
  if (state.status === 'empty') {
    return {
      replayed: upTo.length,
      workflowVersion: null,
      status: 'empty',
      periods: [],
      vetoes: {},
      annual: null,
    };
  }
  return {
    replayed: upTo.length,
    workflowVersion: state.workflowVersion,
    status: state.status,
    periods: state.periodOrder.map((id) => ({
      periodId: id,
      status: state.periods[id].status,
      result: state.periods[id].result,
    })),
    vetoes: state.vetoes,
    annual: state.result
      ? {
          score: state.result.score,
          grade: state.result.grade,
          bonusCoefficient: state.result.bonusCoefficient,
        }
      : null,
  };
}
