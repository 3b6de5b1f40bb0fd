import http from 'node:http';

/**
 * Opens the API's Server-Sent Events stream on `port` as an SSE client does (`path` unless told
 * otherwise, heartbeats on); `onResponse` reads the response, its chunks as UTF-8 text.
 */
export function openEventStream(
  port: number,
  headers: Record<string, string>,
  onResponse: (response: http.IncomingMessage) => void,
  path = '/events/stream?heartbeat=1',
): http.ClientRequest {
  const options = { host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } };
  return http.get(options, (response) => {
    response.setEncoding('utf8');
    onResponse(response);
  });
}
