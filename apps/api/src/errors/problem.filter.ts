import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { ZodError } from 'zod';
import { isDomainError, ValidationError, type ErrorIntent } from '@verity/domain';
import { Problem } from './problem';
import { dependencyProblem } from './dependency-failure';
import { schemaMismatch, zodIssues } from '../validation/zod-issues';

const INTENT_STATUS: Record<ErrorIntent, number> = {
  validation: 400,
  'not-found': 404,
  forbidden: 403,
  'illegal-state': 422,
  conflict: 409,
};

/** Event-store errors are recognised by their stable code, not by import, so the adapter stays swappable. */
const STORE_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  'wrong-expected-revision': {
    status: 409,
    code: 'wrong-expected-revision',
    detail: 'The resource changed since you read it; reload and retry.',
  },
  'duplicate-event-id': {
    status: 409,
    code: 'duplicate-event-id',
    detail: 'These events were already recorded elsewhere; nothing was written.',
  },
  'stream-not-found': { status: 404, code: 'not-found', detail: 'No such resource.' },
  // Stream ids carry the tenant, so this is another tenant's resource: not found, as everywhere.
  'tenant-mismatch': { status: 404, code: 'not-found', detail: 'No such resource.' },
  // Input the request schema let through but the store cannot keep as it is (e.g. a NUL character).
  'invalid-event': { status: 400, code: 'invalid-event', detail: 'The request cannot be recorded' },
};

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'errors']);

function withoutProblemMembers(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
}

/** Translates anything thrown to RFC 9457 problem+json; the single HTTP error mapping of the API. */
export function toProblem(error: unknown, method?: string): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof ZodError) {
    return schemaMismatch(null, zodIssues(error));
  }
  if (isDomainError(error)) {
    const status = INTENT_STATUS[error.intent] ?? 422;
    if (error instanceof ValidationError)
      return new Problem(
        status,
        error.code,
        error.message,
        error.issues.length ? { errors: error.issues } : {},
      );
    // The error's details (e.g. the unit and bands a forced distribution breaks) as extension members.
    return new Problem(status, error.code, error.message, withoutProblemMembers(error.details));
  }
  if (error instanceof ThrottlerException) {
    return new Problem(429, 'rate-limited', 'Too many requests; slow down and retry later.');
  }
  if (error instanceof HttpException) return fromHttpException(error);
  const tagged = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  const store = tagged && STORE_ERRORS[String(tagged.code)];
  if (store) {
    const invalid = error as { field?: unknown; rule?: unknown };
    return store.code === 'invalid-event'
      ? new Problem(400, store.code, `${store.detail}: ${String(invalid.field)} ${String(invalid.rule)}.`, {
          errors: [{ path: String(invalid.field), rule: 'recordable', message: String(invalid.rule) }],
        })
      : new Problem(store.status, store.code, store.detail);
  }
  // Body-parser errors (Express: `type`/`status`; Fastify: `statusCode`).
  const parser = error as { status?: number; statusCode?: number; type?: string; code?: string } | null;
  const parserStatus = parser?.status ?? parser?.statusCode;
  if (parserStatus === 413) return new Problem(413, 'body-too-large', 'The request body is too large.');
  if (parserStatus === 400 || parser?.type === 'entity.parse.failed') {
    return new Problem(400, 'malformed-body', 'The request body is not valid JSON.');
  }
  if (parserStatus === 415) return new Problem(415, 'unsupported-media-type', 'Unsupported content type.');
  return dependencyProblem(error, method) ?? new Problem(500, 'internal', 'An unexpected error occurred.');
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  const codes: Record<number, string> = {
    400: 'bad-request',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not-found',
    405: 'method-not-allowed',
    413: 'body-too-large',
    415: 'unsupported-media-type',
    429: 'rate-limited',
  };
  const response = error.getResponse();
  const message =
    typeof response === 'object' && response && 'message' in response
      ? String((response as { message: unknown }).message)
      : error.message;
  // Nest's malformed-JSON error arrives as a 400 HttpException carrying the parser's message.
  if (status === 400 && /JSON|Unexpected token|Unexpected end/i.test(message)) {
    return new Problem(400, 'malformed-body', 'The request body is not valid JSON.');
  }
  if (status === 404) return new Problem(404, 'not-found', 'No such resource.');
  if (status >= 500) return new Problem(status, 'internal', 'An unexpected error occurred.');
  return new Problem(status, codes[status] ?? `http-${status}`, message);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const passthrough = healthReport(error);
    if (passthrough) {
      // /health's 503 body is terminus's report (its own documented shape), not a problem.
      sendJson(ctx.getResponse(), 503, 'application/json; charset=utf-8', JSON.stringify(passthrough));
      return;
    }
    const request = ctx.getRequest<{ url?: string; originalUrl?: string; method?: string }>();
    const problem = toProblem(error, request.method);
    if (problem.status === 503) {
      // A dependency away: one line per request, no stack (an outage would bury the log in them).
      this.logger.warn(`${problem.code}: ${error instanceof Error ? error.message : String(error)}`);
    } else if (problem.status >= 500) {
      // The message and stack only: request bodies may hold personal data.
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    const instance = (request.originalUrl ?? request.url ?? '').split('?')[0];
    sendJson(
      ctx.getResponse(),
      problem.status,
      'application/problem+json; charset=utf-8',
      JSON.stringify(problem.toBody(instance)),
      problem.headers.retryAfterSeconds,
    );
  }
}

type FastifyReply = {
  raw: unknown;
  code(status: number): FastifyReply;
  header(name: string, value: string): FastifyReply;
  send(payload: string): void;
};
type ExpressResponse = {
  status(status: number): ExpressResponse;
  setHeader(name: string, value: string): void;
  end(payload: string): void;
};

/** The credentials the API takes: a bearer JWT, or an integrator's API key (`Authorization: ApiKey vk_…`). */
export const AUTHENTICATION_CHALLENGE = 'Bearer realm="verity", ApiKey realm="verity"';

/** Written directly: both adapters' `reply` would rewrite an error body's content type to application/json. */
function sendJson(
  response: unknown,
  status: number,
  contentType: string,
  payload: string,
  retryAfterSeconds?: number,
): void {
  const headers: [string, string][] = [['Content-Type', contentType]];
  const retryAfter = retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) headers.push(['Retry-After', String(retryAfter)]);
  // RFC 9110: a 401 names the schemes that would be accepted.
  if (status === 401) headers.push(['WWW-Authenticate', AUTHENTICATION_CHALLENGE]);
  const fastify = response as FastifyReply;
  if (typeof fastify.code === 'function' && fastify.raw) {
    fastify.code(status);
    for (const [name, value] of headers) fastify.header(name, value);
    fastify.send(payload);
    return;
  }
  const express = response as ExpressResponse;
  express.status(status);
  for (const [name, value] of headers) express.setHeader(name, value);
  express.end(payload);
}

function healthReport(error: unknown): object | null {
  if (!(error instanceof HttpException) || error.getStatus() !== 503) return null;
  const body = error.getResponse();
  return typeof body === 'object' && body !== null && 'details' in body && 'info' in body ? body : null;
}
