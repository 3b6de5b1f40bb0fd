import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailMessage, EmailSender } from './notification.port';

/** E-mail over SMTP (SMTP_URL, MAIL_FROM from the configuration). */
export class NodemailerEmailSender implements EmailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(message: EmailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
