import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok, type Answer } from '../../api/client';

/** The appraisal's state as the API describes it (GET /appraisals/{id}). */
export type Appraisal = Answer<'/appraisals/{appraisalId}'>;
export type PlanTarget = Appraisal['state']['plan']['targets'][number];
export type Period = Appraisal['state']['periods'][string];
export type Nomination = NonNullable<Appraisal['state']['nominations']>[string];
/** The employee appraised; null for an org unit's appraisal. */
export const appraiseeOf = ({ state }: Appraisal): string | null =>
  state.subject.kind === 'employee' ? state.subject.employeeId : null;
/** One published workflow version, its definition as the domain stored it. */
export type WorkflowVersion = Answer<'/workflows/{workflowId}/versions/{version}'>;
export type Indicator = WorkflowVersion['definition']['scorecard']['indicators'][number];
/** What a tab of the appraisal reads: the appraisal and the workflow version it is pinned to. */
export interface AppraisalSectionProps {
  appraisal: Appraisal;
  workflow: WorkflowVersion;
}
/** The appraisal's score view as the API describes it (GET /scores/appraisals/{id}, ADR 0110). */
export type AppraisalScore = Answer<'/scores/appraisals/{appraisalId}'>;
/** One indicator's line of a scored month: actual, rule, score, weight, contribution, veto. */
export type ScoredIndicator = AppraisalScore['periods'][number]['indicators'][number];
/** A period scored by the workflow's rule without writing anything (GET /scores/appraisals/{id}/what-if). */
export type WhatIfPeriod = Answer<'/scores/appraisals/{appraisalId}/what-if'>;
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

/** The appraisals the reader sees through the score read model: their own, and their reports' for a manager. */
export function useAppraisalsSeen() {
  return useQuery({
    queryKey: ['my-appraisals'],
    queryFn: () => ok<Answer<'/scores'>>(api.GET('/scores', { params: { query: {} } })),
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
