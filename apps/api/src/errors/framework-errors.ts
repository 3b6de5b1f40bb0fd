import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Problem } from './problem';

/** Longest path parameter the router accepts (ids are at most 100 characters); longer → 414 problem. */
export const MAX_PATH_PARAMETER_LENGTH = 500;

export const badUrlEncoding = () =>
  new Problem(400, 'invalid-request', 'The request URL is not valid percent-encoded UTF-8.', {
    errors: [{ path: '(url)', rule: 'url_encoding', message: 'must be percent-encoded UTF-8' }],
  });

export const pathParameterTooLong = () =>
  new Problem(
    414,
    'uri-too-long',
    `A path parameter is longer than ${MAX_PATH_PARAMETER_LENGTH} characters.`,
    {
      errors: [
        {
          path: '(path)',
          rule: 'too_big',
          message: `path parameters are at most ${MAX_PATH_PARAMETER_LENGTH} characters`,
        },
      ],
    },
  );

/** What the HTTP parser refuses before any router sees the request, as problem documents. */
function clientErrorProblem(code: string | undefined): Problem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new Problem(431, 'headers-too-large', 'The request headers are too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return new Problem(408, 'request-timeout', 'The request was not received in time.');
    case 'HPE_URI_TOO_LONG':
      return new Problem(414, 'uri-too-long', 'The request URL is too long.');
    default:
      return new Problem(400, 'malformed-request', 'The request is not valid HTTP.');
  }
}

/**
 * Node's `clientError` (oversized headers, a request the HTTP parser cannot read, a timeout):
 * answered as problem+json on the raw socket, as both adapters would otherwise answer with a bare
 * status line or their own JSON.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const problem = clientErrorProblem(error.code);
    const body = JSON.stringify(problem.toBody());
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
