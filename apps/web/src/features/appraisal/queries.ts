import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok, type Answer } from '../../api/client';

/** The parts of an appraisal's state the screens read (GET /appraisals/{id}). */
export interface PlanTarget {
  indicatorId: string;
  threshold: string;
  target: string;
  stretch: string;
}
export interface Period {
  periodId: string;
  status: string;
  actuals: Record<string, string> | null;
  result: { score: string; grade: string; bonusCoefficient: string; vetoed: boolean } | null;
}
export interface Appraisal {
  appraisalId: string;
  revision: string;
  state: {
    status: string;
    cycleId: string;
    workflowId: string;
    workflowVersion: number;
    subject: { employeeId?: string; orgUnitId: string };
    plan: {
      status: string;
      version: number;
      targets: PlanTarget[];
      actions: { actionId: string; indicatorId: string | null; dueDate: string; ownerEmployeeId: string }[];
    } | null;
    periods: Record<string, Period>;
    periodOrder: string[];
    /** Actions required where a month fell below target: the appraisee files one, the manager verifies it. */
    improvements?: Record<
      string,
      { periodId: string; indicatorId: string; status: 'required' | 'filed' | 'verified' }
    >;
    selfRating?: string | null;
    ratings?: { raterId: string; group: string; rating: string }[];
    /** The 360's nominated raters, by nomination id. */
    nominations?: Record<string, Nomination>;
    result?: { score: string; grade: string; bonusCoefficient: string } | null;
  };
}
export interface Nomination {
  group: string;
  employeeId: string;
  status: 'proposed' | 'approved' | 'rejected';
}
export interface Indicator {
  id: string;
  name: string;
  weight: number;
  unit?: string;
  levels?: { threshold: number; target: number; stretch: number };
  /** The actual is filed with a reference to its evidence (the API refuses it without). */
  evidenceRequired?: boolean;
}
export interface WorkflowVersion {
  definition: {
    scorecard: { indicators: Indicator[] };
    grades: { grade: string; min: number }[];
    ratingScale?: { min: number; max: number };
    raterGroups?: { group: string; weight: number; minResponses: number; anonymous: boolean }[];
    /** Percent of a unit's appraisals a grade may take at most (`max`) or must take at least (`min`). */
    forcedDistribution: { grade: string; max?: number; min?: number }[];
    /** The red lines HR may file, by id: their names for the appraisee's list. */
    redLines?: { id: string; name: string }[];
  };
}
export interface ScoredIndicator {
  indicatorId: string;
  actual: string | null;
  rule: string;
  score: string;
  weight: string;
  contribution: string;
  veto: string;
}
export interface AppraisalScore {
  runningScore: string | null;
  runningGrade: string | null;
  /** The annual result no longer holds until the year is scored again, and why (ADR 0110, 0140). */
  stale?: {
    since: string;
    reasons: (
      | {
          cause: 'red-line-breached' | 'red-line-withdrawn';
          name: string | null;
          redLineId: string;
          at: string;
        }
      | { cause: 'period-rescored'; periodId: string; from: string | null; to: string; at: string }
    )[];
  } | null;
  periods: {
    periodId: string;
    score: string;
    grade: string;
    bonusCoefficient: string;
    vetoed: boolean;
    indicators: ScoredIndicator[];
    /** Under a workflow with weekly plans: the month's behaviour score and its weight (ADR 0131). */
    behaviour?: {
      weeks: { week: string; score: string }[];
      rollUp: string;
      score: string | null;
      weight: string;
      scorecardScore: string;
    } | null;
  }[];
  vetoes: {
    periodId: string;
    indicatorId: string;
    state: string;
    actual: string;
    target: string;
    vetoValue: string;
    percentOfTarget: string;
  }[];
}
/** A period scored by the workflow's rule without writing anything (GET /scores/appraisals/{id}/what-if). */
export interface WhatIfPeriod {
  periodId: string;
  whatIf: {
    workflowVersion: number;
    score: string;
    grade: string;
    vetoed: boolean;
    indicators: {
      indicatorId: string;
      actual: string | null;
      rule: string;
      score: string;
      weight: string;
      contribution: string | null;
    }[];
    vetoes: { indicatorId: string; breached: boolean }[];
  };
}
/** One line of the appraisal's history (GET /appraisals/{id}/history). */
export type HistoryItem = Answer<'/appraisals/{appraisalId}/history'>['items'][number];

/** One event of the appraisal's stream (GET /appraisals/{id}/events); `pii` is 'redacted' for whoever may not read it. */
export type AppraisalEvent = Answer<'/appraisals/{appraisalId}/events'>['items'][number];

export const appraisalKey = (appraisalId: string) => ['appraisal', appraisalId];

export function useAppraisal(appraisalId: string) {
  return useQuery({
    queryKey: appraisalKey(appraisalId),
    queryFn: () => ok<Appraisal>(api.GET('/appraisals/{appraisalId}', { params: { path: { appraisalId } } })),
  });
}

export function useWorkflow(workflowId?: string, version?: number) {
  return useQuery({
    enabled: Boolean(workflowId && version),
    queryKey: ['workflow', workflowId, version],
    staleTime: Infinity,
    queryFn: () =>
      ok<WorkflowVersion>(
        api.GET('/workflows/{workflowId}/versions/{version}', {
          params: { path: { workflowId: workflowId!, version: String(version) } },
        }),
      ),
  });
}

export function useScore(appraisalId: string) {
  return useQuery({
    queryKey: ['score', appraisalId],
    queryFn: () =>
      ok<AppraisalScore>(api.GET('/scores/appraisals/{appraisalId}', { params: { path: { appraisalId } } })),
  });
}

/** The score the rule gives a filed period, read again whenever the appraisal's revision moves. */
export function useWhatIf(appraisalId: string, periodId: string, workflowVersion: number, revision: string) {
  return useQuery({
    queryKey: ['what-if', appraisalId, periodId, workflowVersion, revision],
    queryFn: () =>
      ok<WhatIfPeriod>(
        api.GET('/scores/appraisals/{appraisalId}/what-if', {
          params: { path: { appraisalId }, query: { periodId, workflowVersion } },
        }),
      ),
  });
}

export function useHistory(appraisalId: string) {
  return useQuery({
    queryKey: ['history', appraisalId],
    queryFn: () =>
      ok<Answer<'/appraisals/{appraisalId}/history'>>(
        api.GET('/appraisals/{appraisalId}/history', { params: { path: { appraisalId } } }),
      ),
  });
}

export function useEvents(appraisalId: string) {
  return useQuery({
    queryKey: ['events', appraisalId],
    queryFn: () =>
      ok<Answer<'/appraisals/{appraisalId}/events'>>(
        api.GET('/appraisals/{appraisalId}/events', {
          params: { path: { appraisalId }, query: { limit: 500 } },
        }),
      ),
  });
}

/** After a write (or a conflict): everything read about the appraisal is read again. */
export function useReloadAppraisal(appraisalId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: appraisalKey(appraisalId) }),
      client.invalidateQueries({ queryKey: ['score', appraisalId] }),
      client.invalidateQueries({ queryKey: ['history', appraisalId] }),
      client.invalidateQueries({ queryKey: ['events', appraisalId] }),
      client.invalidateQueries({ queryKey: ['inbox'] }),
    ]);
}

/** `If-Match` with the revision the form was based on: a change made meanwhile answers 412, not a silent overwrite. */
export const ifMatch = (revision: string) => ({ 'If-Match': `"${revision}"` });
