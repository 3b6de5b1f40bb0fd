import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { inTenantTransaction } from '@verity/platform';
import {
  emailJobId,
  renderNotification,
  type DirectoryHistory,
  type EmailJob,
  type Locale,
  type TemplateName,
  type TemplateParams,
} from '@verity/projections/notifications';
import type { EmailSender } from './notification.port';

const TIMEOUT_MS = 5_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export type EmailOutcome = 'sent' | 'already-sent' | 'no-address';

/**
 * Sends the e-mail of one in-app notification: the row says what and to which employee; the name
 * and address come from the directory at send time, so neither sits in Redis or in the read model.
 * The row is locked while sending and marked sent in the same transaction; a crash between the two
 * resends with the same Message-ID (e-mail is at-least-once; the inbox row is exactly-once).
 */
export class EmailDelivery {
  constructor(
    private readonly pool: Pool,
    private readonly queue: Queue<EmailJob>,
    private readonly directories: DirectoryHistory,
    private readonly sender: EmailSender,
    private readonly locale: Locale,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues e-mail jobs; a Redis failure is reported and left to `requeuePending`. */
  async enqueue(jobs: EmailJob[]): Promise<void> {
    try {
      await withTimeout(
        this.queue.addBulk(
          jobs.map((job) => ({ name: 'email', data: job, opts: { jobId: emailJobId(job) } })),
        ),
        'queueing e-mails',
      );
    } catch (error) {
      this.onError(error);
    }
  }

  /** Re-queues e-mails still pending (after Redis lost them); kept failed jobs are left alone. */
  async requeuePending(tenantIds: string[]): Promise<number> {
    let queued = 0;
    for (const tenantId of tenantIds) {
      const pending = await inTenantTransaction(this.pool, tenantId, (tx) =>
        tx.query<{ notification_id: string }>(
          "SELECT notification_id FROM notifications WHERE tenant_id = $1 AND email_status = 'pending'",
          [tenantId],
        ),
      );
      const jobs = pending.rows.map((row) => ({ tenantId, notificationId: row.notification_id }));
      if (jobs.length > 0) await this.enqueue(jobs);
      queued += jobs.length;
    }
    return queued;
  }

  async send(job: EmailJob): Promise<EmailOutcome> {
    return inTenantTransaction(this.pool, job.tenantId, async (tx) => {
      const found = await tx.query<{
        notification_id: string;
        recipient_employee_id: string;
        template: TemplateName;
        params: TemplateParams;
        email_status: string;
      }>(
        `SELECT notification_id, recipient_employee_id, template, params, email_status
           FROM notifications WHERE tenant_id = $1 AND notification_id = $2 FOR UPDATE`,
        [job.tenantId, job.notificationId],
      );
      const row = found.rows[0];
      // Queued inside the consumer's transaction: until it commits the row is not there yet.
      if (!row) throw new Error(`notification ${job.notificationId} is not committed yet`);
      if (row.email_status !== 'pending') return 'already-sent';
      const contact = await this.directories.contactOf(job.tenantId, row.recipient_employee_id);
      if (!contact) {
        await tx.query(
          `UPDATE notifications SET email_status = 'failed', email_error = 'no e-mail address in the directory'
            WHERE tenant_id = $1 AND notification_id = $2`,
          [job.tenantId, job.notificationId],
        );
        return 'no-address';
      }
      const { title, body } = renderNotification(row.template, row.params, this.locale, contact.name);
      try {
        await this.sender.send({
          to: contact.email,
          subject: title,
          text: body,
          messageId: `<${row.notification_id}@verity.notifications>`,
        });
      } catch (error) {
        // SMTP errors quote the recipient's address: only the codes go on to BullMQ and the logs.
        const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
        throw new Error(`e-mail not sent: ${String(code ?? 'error')} ${String(responseCode ?? '')}`.trim());
      }
      await tx.query(
        `UPDATE notifications SET email_status = 'sent', emailed_at = now(), email_attempts = email_attempts + 1,
                email_error = NULL
          WHERE tenant_id = $1 AND notification_id = $2`,
        [job.tenantId, job.notificationId],
      );
      return 'sent';
    });
  }
}
