import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { eventually } from '../../../../test/support/eventually';

export interface ReceivedDelivery {
  id: string;
  type: string;
  subject: string;
  source: string;
  data: unknown;
  receivedAt: number;
  signatureValid: boolean;
}

/**
 * A real HTTP receiver for tests and the benchmark: verifies every request's signature with the
 * `standardwebhooks` package and records what arrived. `answer` decides each response status;
 * `stop()` / `start()` take it off and back on the same port (connection refused in between).
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  /** Requests whose signature did not verify (must stay empty). */
  readonly rejected: string[] = [];
  answer: (delivery: ReceivedDelivery) => number = () => 204;
  private server: http.Server | undefined;
  private port = 0;
  private readonly webhook: Webhook;

  /** `port`: a port chosen beforehand, for a receiver whose URL was given out before its secret was known. */
  constructor(secret: string, port = 0) {
    this.webhook = new Webhook(secret);
    this.port = port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<void> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let envelope: Record<string, unknown>;
        try {
          envelope = this.webhook.verify(body, request.headers as Record<string, string>) as Record<
            string,
            unknown
          >;
        } catch (error) {
          this.rejected.push(`${request.headers['webhook-id']}: ${(error as Error).message}`);
          response.writeHead(401).end();
          return;
        }
        const delivery: ReceivedDelivery = {
          id: String(envelope.id),
          type: String(envelope.type),
          subject: String(envelope.subject),
          source: String(envelope.source),
          data: envelope.data,
          receivedAt: Date.now(),
          signatureValid: request.headers['webhook-id'] === envelope.id,
        };
        const status = this.answer(delivery);
        if (status >= 200 && status < 300) this.received.push(delivery);
        response.writeHead(status).end();
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `predicate` holds over what arrived, or fails naming how many arrived. */
  async waitFor(predicate: (received: ReceivedDelivery[]) => boolean, timeoutMs = 30_000): Promise<void> {
    await eventually(
      () => predicate(this.received),
      timeoutMs,
      `receiver: the condition (${this.received.length} received so far)`,
    );
  }
}
