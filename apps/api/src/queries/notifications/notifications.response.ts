import { z } from 'zod';
import { pageOf, Timestamp } from '../../openapi/answer-pieces';

/**
 * GET /notifications: one page of the caller's notifications, newest first; never a name or an address.
 * `next` is sent back as `before` for the older page.
 */
export const NotificationsResponse = pageOf(
  z.strictObject({
    notificationId: z.string(),
    createdAt: Timestamp,
    /**
     * What it tells of: StepOpened (a task assigned), ReminderSent, StepEscalated, DeadlineMissed,
     * or the directory change (ManagerAssigned, …) that moved an open step to the reader.
     */
    eventType: z.string(),
    eventId: z.string(),
    appraisalId: z.string(),
    stepKey: z.string(),
    /** Why the reader is told: assignee, escalation-manager, escalation-hr, … */
    reason: z.string(),
    template: z.string(),
    /** The template's parameters (ids, times, levels), for a client that renders its own text. */
    params: z.record(z.string(), z.unknown()),
    titleEn: z.string(),
    titleZh: z.string(),
    /** Null when addressed to the reader by name; the role inbox it came through otherwise. */
    recipientRole: z.string().nullable(),
    emailStatus: z.enum(['none', 'pending', 'sent', 'failed']),
  }),
);
