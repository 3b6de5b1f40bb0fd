/** One e-mail, rendered at send time (its recipient's name and address are never stored or queued). */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Stable per notification, so a resend after a crash is recognisably the same message. */
  messageId: string;
}

/** The e-mail channel of notifications; the in-app inbox is the `notifications` table. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
  close(): Promise<void>;
}
