import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new subscription secret in the Standard Webhooks format: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The Standard Webhooks headers for one message (HMAC-SHA256, `v1,<base64>`), signed by the reference package. */
export function signatureHeaders(
  secret: string,
  messageId: string,
  sentAt: Date,
  body: string,
): { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string } {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, sentAt, body),
  };
}
