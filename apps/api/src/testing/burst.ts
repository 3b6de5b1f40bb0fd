import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface BurstRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * Sends requests at the same instant: every socket is connected first, then all requests are
 * written in one tick, so the server starts handling them together (supertest would stagger them).
 * Resolves with each response's status and parsed body, in order.
 */
export async function burst(
  server: Server,
  requests: BurstRequest[],
): Promise<{ status: number; body: unknown }[]> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const sockets = await Promise.all(
    requests.map(
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
          socket.on('error', reject);
        }),
    ),
  );
  const answers = sockets.map(
    (socket) =>
      new Promise<{ status: number; body: unknown }>((resolve) => {
        let raw = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => (raw += chunk));
        socket.on('end', () => {
          const [head, ...rest] = raw.split('\r\n\r\n');
          const status = Number(head.split(' ')[1]);
          const text = rest.join('\r\n\r\n');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status, body });
        });
      }),
  );
  requests.forEach((request, index) => {
    const payload = request.body === undefined ? '' : JSON.stringify(request.body);
    const headers = {
      host: `127.0.0.1:${port}`,
      connection: 'close',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
      ...request.headers,
    };
    sockets[index].write(
      `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n')}\r\n\r\n${payload}`,
    );
  });
  return Promise.all(answers);
}
