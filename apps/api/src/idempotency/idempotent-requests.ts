import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Problem } from '../errors/problem';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ABANDONED_AFTER_SECONDS, IdempotencyRepository, type KeyOwner } from './idempotency.repository';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const WAIT_FOR_FIRST_MS = 5000;
const RELEASE_RETRY_MS = 1000;

/** Stable JSON: object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What a key is bound to: the path and the body (stable JSON, or the text as sent). */
export function requestHash(path: string, body: unknown): string {
  return createHash('sha256')
    .update(`POST ${path}\n${typeof body === 'string' ? body : canonical(body)}`)
    .digest('hex');
}

/**
 * The `Idempotency-Key` claim a request holds while its handler runs (docs/adr/0155). A command
 * records its answer inside the append's transaction with it, and marks it `answered` when the
 * store did; nothing is then left to record.
 */
export interface OpenClaim {
  owner: KeyOwner;
  key: string;
  answered: boolean;
}

/** What idempotency reads of a request: its caller (after the guard), key header, path and body. */
export interface IdempotentRequest extends AuthenticatedRequest {
  body?: unknown;
  url: string;
  originalUrl?: string;
}

/**
 * `Idempotency-Key` on POST: the first response (status, body, ETag) is stored in PostgreSQL and
 * replayed for the same key and body; the same key with another body is 422. A concurrent
 * duplicate waits for the first to finish (409 if it takes too long). Runs after the guards (a
 * caller the route refuses is refused before any replay), and a key is the caller's own: another
 * user or API key of the tenant sending the same key runs its own request.
 *
 * The one implementation, at two doors (docs/adr/0171): `IdempotencyInterceptor` on the routes
 * `@Roles` guards, and the command routes, which call `handle` themselves so that a request without
 * a key pays no interceptor.
 */
@Injectable()
export class IdempotentRequests {
  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Whether the request carries a key this service must honour (a POST by an authenticated caller). */
  applies(request: IdempotentRequest): boolean {
    return request.method === 'POST' && keyOf(request) !== undefined && !!request.principal;
  }

  /**
   * Runs `work` holding the request's claim (none when `applies` is false), or answers from the
   * stored response without running it. A promise, not an observable chain: if the client gives
   * up, the command and its record still complete.
   */
  async handle<T>(
    request: IdempotentRequest,
    response: unknown,
    work: (claim: OpenClaim | undefined) => Promise<T>,
  ): Promise<T> {
    if (!this.applies(request)) return work(undefined);
    const key = keyOf(request)!;
    if (!KEY_PATTERN.test(key)) {
      throw new Problem(
        400,
        'invalid-idempotency-key',
        'Idempotency-Key must be 1 to 200 visible ASCII characters.',
      );
    }
    const owner: KeyOwner = {
      tenantId: request.principal!.tenantId,
      principal: `${request.principal!.via}:${request.principal!.subject}`,
    };
    const path = (request.originalUrl ?? request.url).split('?')[0];
    const hash = requestHash(path, request.body);
    return (await this.run(owner, key, hash, path, response, work)) as T;
  }

  private async run(
    owner: KeyOwner,
    key: string,
    hash: string,
    path: string,
    response: unknown,
    work: (claim: OpenClaim) => Promise<unknown>,
  ): Promise<unknown> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    let claimedAt: string;
    for (;;) {
      const attempt = await this.repository.claim(owner, key, hash, 'POST', path);
      if ('claimedAt' in attempt) {
        claimedAt = attempt.claimedAt;
        break;
      }
      const { stored } = attempt;
      // The first request failed and released the key (or its row is not visible yet): claim again.
      if (!stored) continue;
      if (stored.requestHash !== hash) {
        throw new Problem(
          422,
          'idempotency-key-reused',
          'This Idempotency-Key was already used with a different request body.',
        );
      }
      if (stored.completed) return this.replay(response, stored.status ?? 200, stored.etag, stored.body);
      if (Date.now() > deadline) {
        // Either the first request is still running, or it died (an API crash) and its claim is
        // taken over once ABANDONED_AFTER_SECONDS have passed: Retry-After says when that is.
        throw new Problem(
          409,
          'idempotency-in-progress',
          'A request with this Idempotency-Key is still running, or stopped without an answer; ' +
            'retry after the time in Retry-After.',
          {},
          { retryAfterSeconds: Math.max(1, stored.takeoverInSeconds) },
        );
      }
      await sleep(50);
    }
    try {
      const claim: OpenClaim = { owner, key, answered: false };
      const body = await work(claim);
      // A command's append recorded this answer in its own transaction (ADR 0155); anything else
      // (no append, a repeat of stored events, another handler) is recorded here.
      if (!claim.answered) {
        const status = (response as { statusCode: number }).statusCode;
        const etag = readHeader(response, 'etag');
        await this.repository.complete(owner, key, status, body, etag);
      }
      // Roughly one completed request in 500 prunes expired keys; the index on created_at keeps it cheap.
      if (Math.random() < 0.002) void this.repository.prune().catch(() => undefined);
      return body;
    } catch (error) {
      await this.repository
        .release(owner, key, claimedAt)
        .catch(() => this.releaseLater(owner, key, claimedAt));
      throw error;
    }
  }

  /**
   * The request failed because PostgreSQL was away, so its claim could not be released either: try
   * again every second while the claim still stands, so that the client's retry after the outage
   * runs at once instead of waiting for the claim to be taken over.
   */
  private releaseLater(owner: KeyOwner, key: string, claimedAt: string): void {
    const giveUpAt = Date.now() + ABANDONED_AFTER_SECONDS * 1000;
    const attempt = (): void => {
      if (Date.now() > giveUpAt) return;
      this.repository
        .release(owner, key, claimedAt)
        .catch(() => setTimeout(attempt, RELEASE_RETRY_MS).unref());
    };
    setTimeout(attempt, RELEASE_RETRY_MS).unref();
  }

  private replay(response: unknown, status: number, etag: string | null, body: unknown): unknown {
    const adapter = this.adapterHost.httpAdapter;
    adapter.status(response, status);
    if (etag) adapter.setHeader(response, 'ETag', etag);
    adapter.setHeader(response, 'Idempotent-Replayed', 'true');
    return body;
  }
}

function keyOf(request: IdempotentRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  return Array.isArray(raw) ? raw[0] : raw;
}

function readHeader(response: unknown, name: string): string | null {
  const value = (response as { getHeader(name: string): unknown }).getHeader(name);
  return value === undefined || value === null ? null : String(value);
}
