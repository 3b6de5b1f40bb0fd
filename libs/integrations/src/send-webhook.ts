import type { VerityCloudEvent } from './cloud-event';
import { signatureHeaders } from './webhook-signature';
import { checkWebhookTarget, WebhookTargetRefused, type Lookup } from './webhook-target.guard';
import { postWebhook, type WebhookResponse } from './webhook-request';

export interface SendOptions {
  url: string;
  secret: string;
  allowlist: readonly string[];
  timeoutMs: number;
  lookup?: Lookup;
  now?: () => Date;
}

/**
 * One signed delivery attempt: the target is checked again against SSRF rules (DNS may have
 * changed since the subscription was saved) and the request pinned to the checked address.
 * `webhook-id` is the CloudEvent id, the same on every retry, so receivers de-duplicate by it.
 */
export async function sendWebhook(
  envelope: VerityCloudEvent | (Omit<VerityCloudEvent, 'position'> & { position?: string }),
  options: SendOptions,
): Promise<WebhookResponse & { startedAt: Date }> {
  const startedAt = (options.now ?? (() => new Date()))();
  let target;
  try {
    target = await checkWebhookTarget(options.url, options.allowlist, { lookup: options.lookup });
  } catch (error) {
    if (error instanceof WebhookTargetRefused) {
      return { startedAt, statusCode: null, error: `refused: ${error.message}`, latencyMs: 0 };
    }
    throw error;
  }
  const body = JSON.stringify(envelope);
  const headers = signatureHeaders(options.secret, envelope.id, startedAt, body);
  return { startedAt, ...(await postWebhook(target, body, headers, options.timeoutMs)) };
}
