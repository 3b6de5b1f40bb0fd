import type { Pool } from 'pg';
import { inTenantTransaction } from '@verity/platform';

/** A row of the notifications table (GET /notifications reads these), as the tests look at it. */
export interface NotificationRow {
  notification_id: string;
  event_type: string;
  step_key: string;
  timer_key: string | null;
  recipient_employee_id: string | null;
  recipient_role: string | null;
  reason: string;
  template: string;
  params: Record<string, unknown>;
  title_en: string;
  title_zh: string;
  email_status: string;
}

/** The tenant's notifications in log order, those of one event by recipient. */
export const notificationRows = (pool: Pool, tenantId: string) =>
  inTenantTransaction(pool, tenantId, async (tx) => {
    const result = await tx.query<NotificationRow>(
      'SELECT * FROM notifications WHERE tenant_id = $1 ORDER BY position, recipient_employee_id',
      [tenantId],
    );
    return result.rows;
  });
