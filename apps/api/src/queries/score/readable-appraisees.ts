import { readsEveryAppraisal, reportsOf } from '@verity/domain';
import type { Principal } from '../../auth/principal';
import type { Clock } from '../../commands/clock';
import type { OrgRelations } from '../../commands/org-relations';

/**
 * The appraisees whose scores the caller may read: undefined for everyone (HR, process owners,
 * auditors, admins), else themselves and the people they manage directly or one level down. The
 * score screens and the score reports use this one rule.
 */
export async function readableAppraisees(
  me: Principal,
  relations: OrgRelations,
  clock: Clock,
): Promise<string[] | undefined> {
  if (readsEveryAppraisal(me.role)) return undefined;
  if (!me.employeeId) return [];
  const { reports, skipReports } = reportsOf(
    await relations.directory(me.tenantId),
    me.employeeId,
    clock.now().toISOString(),
  );
  return [me.employeeId, ...reports, ...skipReports];
}
