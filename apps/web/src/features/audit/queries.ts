import { useQuery } from '@tanstack/react-query';
import { api, ok, type Answer } from '../../api/client';

/** One line of the audit log (GET /audit): who, in what role, when, under which rule version. */
export type AuditEntry = Answer<'/audit'>['items'][number];

/** The appraisal replayed up to a position (GET /scores/appraisals/{id}/as-of). */
export type ScoreAsOf = Answer<'/scores/appraisals/{appraisalId}/as-of'>;

/** The tenant's chain verification (GET /audit/verify): what was checked and, on a break, where. */
export type ChainReport = Answer<'/audit/verify'>;

/** An appraisal's score row (GET /scores). */
export type ScoredAppraisal = Answer<'/scores'>['items'][number];

/** The appraisals an auditor may pick from (every one in the tenant). */
export function useAppraisals() {
  return useQuery({
    queryKey: ['audit', 'appraisals'],
    queryFn: () => ok<Answer<'/scores'>>(api.GET('/scores', { params: { query: {} } })),
  });
}

/** The appraisal's audit trail, oldest first. */
export function useAuditTrail(appraisalId: string | undefined) {
  return useQuery({
    queryKey: ['audit', 'trail', appraisalId],
    enabled: Boolean(appraisalId),
    queryFn: () =>
      ok<Answer<'/audit'>>(
        api.GET('/audit', { params: { query: { appraisalId: appraisalId!, limit: 1000 } } }),
      ),
  });
}

export function useScoreAsOf(appraisalId: string | undefined, position: string | undefined) {
  return useQuery({
    queryKey: ['audit', 'as-of', appraisalId, position],
    enabled: Boolean(appraisalId && position),
    queryFn: () =>
      ok<ScoreAsOf>(
        api.GET('/scores/appraisals/{appraisalId}/as-of', {
          params: { path: { appraisalId: appraisalId! }, query: { position: position! } },
        }),
      ),
  });
}
