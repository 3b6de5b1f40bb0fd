import type { Relation, Role } from '../shared/context';

/** Roles that read every appraisal of their tenant, and its score (the process's staff). */
const READS_EVERY_APPRAISAL: readonly Role[] = ['hr', 'process-owner', 'auditor', 'admin'];
/** Everyone else reads an appraisal only in its line: the appraisee and their two managers. */
const READS_IN_LINE: readonly Relation[] = ['self', 'manager', 'skip-level'];

/**
 * Whether a reader may see an appraisal at all (its state, history and score): one rule for the
 * appraisal and score reads. Someone else's appraisal then reads as absent, not as forbidden, so
 * its existence is not disclosed. What of it they see is the visibility rule's (./visibility.ts).
 */
export function mayReadAppraisal(role: Role, relation: Relation): boolean {
  return readsEveryAppraisal(role) || READS_IN_LINE.includes(relation);
}

/** Whether the role reads every appraisal without asking the directory for a relation. */
export function readsEveryAppraisal(role: Role): boolean {
  return READS_EVERY_APPRAISAL.includes(role);
}
