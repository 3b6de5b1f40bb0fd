import type { CallerRole } from './principal';

/*
 * The role lists routes share: the coarse gate of `@Route` and of the command tables, before the
 * domain checks the caller's relation to the person or unit. Admins pass every check and auditors
 * every read (AuthGuard), whether a list names them or not.
 */

/** The roles a person of the directory signs in as: whoever may be an appraisee or act on one. */
export const PERSON_ROLES = [
  'employee',
  'manager',
  'hr',
  'process-owner',
] as const satisfies readonly CallerRole[];

/** A person's roles and the auditor's, for the reads that name auditors among their readers. */
export const PERSON_ROLES_AND_AUDITOR = [...PERSON_ROLES, 'auditor'] as const satisfies readonly CallerRole[];

/** The person roles that oversee others: HR, process owners, and managers (their own line). */
export const OVERSEEING_ROLES = ['hr', 'process-owner', 'manager'] as const satisfies readonly CallerRole[];

/** Those who run cycles and author workflows. */
export const HR_AND_PROCESS_OWNERS = ['hr', 'process-owner'] as const satisfies readonly CallerRole[];

/** A person's superior (the domain checks which) or HR. */
export const MANAGERS_AND_HR = ['manager', 'hr'] as const satisfies readonly CallerRole[];

/** The person themself, or their manager. */
export const EMPLOYEES_AND_MANAGERS = ['employee', 'manager'] as const satisfies readonly CallerRole[];

/** Those who check the audit trail's proofs: auditors, and HR. */
export const AUDITORS_AND_HR = ['auditor', 'hr'] as const satisfies readonly CallerRole[];
