import type { AppraisalEventType } from './appraisal.events';

/** The events that bring something new into an appraisal, and the field naming it. */
export const CREATED_ID_FIELDS = {
  RedLineBreached: 'breachId',
  ImprovementRequired: 'improvementId',
  AppealFiled: 'appealId',
  AnnotationAdded: 'annotationId',
  PlanChangeRequested: 'changeId',
  RaterNominated: 'nominationId',
} as const satisfies Partial<Record<AppraisalEventType, string>>;

/**
 * The id of what an event created (e.g. `{ breachId }` of `RedLineBreached`), for the answer to the
 * command that recorded it: a client needs it for the next command (contest, uphold, verify).
 */
export function createdIdOf(event: { type: string; data: unknown }): Record<string, string> {
  const field = (CREATED_ID_FIELDS as Record<string, string | undefined>)[event.type];
  const value = field ? (event.data as Record<string, unknown>)[field] : undefined;
  return field && typeof value === 'string' ? { [field]: value } : {};
}
