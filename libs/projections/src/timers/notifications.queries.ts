import type { Pool } from 'pg';
import { inTenantTransaction } from '@verity/platform';
import { camelCaseRows } from '../camel-case';

/** Whose notifications the caller reads: their own (by employee id) and the role inboxes they hold. */
export interface NotificationReader {
  employeeId: string | null;
  /** Role inboxes: `hr` for HR credentials, `process-owner` for process owners. */
  roles: string[];
}

/** One in-app notification: what was told, why, and where it points; never a name or an address. */
export interface NotificationItem {
  notificationId: string;
  createdAt: Date;
  /**
   * What it tells of: StepOpened (a task assigned), ReminderSent, StepEscalated, DeadlineMissed, or
   * the directory change (ManagerAssigned, …) that moved an open step to the reader (ADR 0158).
   */
  eventType: string;
  eventId: string;
  appraisalId: string;
  stepKey: string;
  /** Why the reader is told: assignee, escalation-manager, escalation-hr, escalation-manager-vacant, … */
  reason: string;
  template: string;
  /** The template's parameters (ids, times, levels), for a client that renders its own text. */
  params: Record<string, unknown>;
  titleEn: string;
  titleZh: string;
  /** Null when addressed to the reader by name; the role inbox it came through otherwise. */
  recipientRole: string | null;
  emailStatus: 'none' | 'pending' | 'sent' | 'failed';
}

export interface NotificationPage {
  items: NotificationItem[];
  /** Pass as `before` for the next (older) page; null at the end. */
  next: string | null;
}

/** `before`: the cursor a page handed out, `<createdAt ISO>_<notificationId>`. */
export const NOTIFICATION_CURSOR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z_[0-9a-f-]{36}$/;

/** The reader's notifications, newest first, a page at a time. */
export async function listNotifications(
  pool: Pool,
  tenantId: string,
  reader: NotificationReader,
  page: { limit: number; before?: string },
): Promise<NotificationPage> {
  if (reader.employeeId === null && reader.roles.length === 0) return { items: [], next: null };
  const [beforeAt, beforeId] = page.before ? splitCursor(page.before) : [null, null];
  const rows = await inTenantTransaction(pool, tenantId, async (tx) =>
    camelCaseRows<NotificationItem>(
      (
        await tx.query(
          `SELECT notification_id, created_at, event_type, event_id, appraisal_id, step_key, reason,
                  template, params, title_en, title_zh, recipient_role, email_status
             FROM notifications
            WHERE (recipient_employee_id = $1 OR recipient_role = ANY($2::text[]))
              AND ($3::timestamptz IS NULL OR (created_at, notification_id) < ($3, $4::uuid))
            ORDER BY created_at DESC, notification_id DESC
            LIMIT $5`,
          [reader.employeeId, reader.roles, beforeAt, beforeId, page.limit + 1],
        )
      ).rows,
    ),
  );
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > page.limit ? `${last.createdAt.toISOString()}_${last.notificationId}` : null,
  };
}

function splitCursor(cursor: string): [string, string] {
  const at = cursor.indexOf('_');
  return [cursor.slice(0, at), cursor.slice(at + 1)];
}
