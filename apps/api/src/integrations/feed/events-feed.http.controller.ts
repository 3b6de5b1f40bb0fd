import type { ServerResponse } from 'node:http';
import { Headers, Inject, Logger, Res } from '@nestjs/common';
import { z } from 'zod';
import type { EventStore } from '@verity/event-store';
import { START } from '@verity/event-store';
import { toCloudEvent } from '@verity/integrations';
import { ApiKeysRepository } from '../../auth/api-keys.repository';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { Problem } from '../../errors/problem';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { ApiFileAnswer } from '../../openapi/file-answer';
import { ValidQuery } from '../../validation/zod.pipe';
import { CloudEventResponse, EventsPageResponse, StreamEndData } from './events-feed.response';
import { EventStreamQuery, EventsFeedQuery, Position } from './events-feed.request';
import { readTenantEvents } from './tenant-events';
import { ApiController, Route } from '../../openapi/route';

/** How often a caught-up stream looks for new events. */
const POLL_MS = 250;
/** How often a stream opened with an API key checks that the key is still live (not revoked). */
const KEY_CHECK_MS = 1000;

const mayReadPii = (principal: Principal) => principal.scopes.includes('pii');

/** Express hands the Node response over as is; Fastify's reply is hijacked so Nest leaves it alone. */
export function rawResponse(response: unknown): ServerResponse {
  const reply = response as { hijack?: () => void; raw?: ServerResponse };
  if (typeof reply.hijack === 'function' && reply.raw) {
    reply.hijack();
    return reply.raw;
  }
  return response as ServerResponse;
}

/**
 * The pull feed for integrators: the caller's tenant's events as CloudEvents, from any position,
 * as pages (`GET /events`) or as Server-Sent Events (`GET /events/stream`, resumable with
 * `Last-Event-ID`). `pii` is removed unless the credential carries the `pii` scope.
 */
@ApiController('integrations', 'events')
export class EventsFeedController {
  private readonly logger = new Logger(EventsFeedController.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  @Route('GET', '', { roles: ['integrator', 'auditor'], scopes: ['events:read'], answer: EventsPageResponse })
  async page(
    @CurrentPrincipal() principal: Principal,
    @ValidQuery(EventsFeedQuery) query: z.output<typeof EventsFeedQuery>,
  ) {
    const { events, next } = await readTenantEvents(this.store, {
      tenantId: principal.tenantId,
      after: query.after,
      types: query.types ?? [],
      limit: query.limit,
    });
    return {
      events: events.map((event) => toCloudEvent(event, { includePii: mayReadPii(principal) })),
      next,
    };
  }

  /**
   * Server-Sent Events: each event's `id` is its position, so a reconnecting client's
   * `Last-Event-ID` resumes right after the last event it got. A comment line every `heartbeat`
   * seconds keeps proxies from closing an idle stream. Asks for `Accept: text/event-stream`.
   * The stream ends with `event: end` (`credential-expired`, `credential-revoked`) when the token
   * expires or the API key is revoked: the data (personal data with `pii`) stops with the credential.
   */
  @Route('GET', 'stream', { roles: ['integrator', 'auditor'], scopes: ['events:read'] })
  @ApiFileAnswer({
    description:
      "The tenant's events as Server-Sent Events, open until the client leaves or the credential ends",
    media: [
      {
        type: 'text/event-stream',
        description:
          'First `retry: 2000`; then per event `id: <position>` and `data: <CloudEvent JSON>`; `: heartbeat` comments when idle; ' +
          'finally `event: end` with `data: {"reason": "credential-expired" | "credential-revoked"}`',
        line: z.union([CloudEventResponse, StreamEndData]),
      },
    ],
    headers: { 'Cache-Control': 'no-cache, no-transform' },
  })
  async stream(
    @CurrentPrincipal() principal: Principal,
    @ValidQuery(EventStreamQuery) query: z.output<typeof EventStreamQuery>,
    @Headers('accept') accept: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: unknown,
  ): Promise<void> {
    if (!accept?.includes('text/event-stream')) {
      throw new Problem(
        406,
        'not-acceptable',
        'This endpoint serves text/event-stream; send Accept: text/event-stream.',
      );
    }
    let position = query.after ?? START;
    if (lastEventId !== undefined) {
      const parsed = Position.safeParse(lastEventId);
      if (!parsed.success) {
        throw new Problem(400, 'invalid-request', 'Last-Event-ID must be an id this stream sent.', {
          errors: [
            {
              path: 'Last-Event-ID',
              rule: 'invalid_format',
              message: 'must be a position returned by this API',
            },
          ],
        });
      }
      position = parsed.data;
    }
    const read = (after: string) =>
      readTenantEvents(
        this.store,
        { tenantId: principal.tenantId, after, types: query.types ?? [], limit: 200 },
        lastEventId !== undefined ? 'Last-Event-ID' : 'after',
      );
    // The first page is read before the 200 is sent, so a position the store refuses is still a 400.
    let page: Awaited<ReturnType<typeof read>> | null = await read(position);
    const raw = rawResponse(response);
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let open = true;
    let wake: (() => void) | undefined;
    raw.on('close', () => {
      open = false;
      wake?.();
    });
    const write = async (chunk: string) => {
      if (!raw.write(chunk))
        await new Promise<void>((resolve) => raw.once('drain', resolve).once('close', resolve));
    };
    const heartbeatMs = query.heartbeat * 1000;
    let lastWrite = Date.now();
    let keyCheckedAt = Date.now();
    await write('retry: 2000\n\n');
    try {
      while (open) {
        // The stream carries the caller's data only while its credential would still be accepted.
        let ended = credentialExpired(principal);
        if (!ended && principal.via === 'api-key' && Date.now() - keyCheckedAt >= KEY_CHECK_MS) {
          keyCheckedAt = Date.now();
          if (!(await this.apiKeys.isLive(principal.subject))) ended = 'credential-revoked';
        }
        if (ended) {
          await write(`event: end\ndata: ${JSON.stringify({ reason: ended })}\n\n`);
          break;
        }
        const { events, next } = page ?? (await read(position));
        page = null;
        for (const event of events) {
          if (!open) break;
          const envelope = toCloudEvent(event, { includePii: mayReadPii(principal) });
          await write(`id: ${event.position}\ndata: ${JSON.stringify(envelope)}\n\n`);
          lastWrite = Date.now();
        }
        const moved = next !== position;
        position = next;
        if (Date.now() - lastWrite >= heartbeatMs) {
          await write(': heartbeat\n\n');
          lastWrite = Date.now();
        }
        if (moved) continue;
        // Sleeps until the next poll, or until the token expires if that comes first.
        const untilExpiry = principal.expiresAt === undefined ? Infinity : principal.expiresAt - Date.now();
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.max(0, Math.min(POLL_MS, heartbeatMs, untilExpiry)));
        });
      }
    } catch (error) {
      this.logger.error(`event stream ended by an error: ${(error as Error).message}`);
    } finally {
      raw.end();
    }
  }
}

/** 'credential-expired' once the token's `exp` has passed (API keys have none), else null. */
function credentialExpired(principal: Principal): 'credential-expired' | 'credential-revoked' | null {
  return principal.expiresAt !== undefined && Date.now() >= principal.expiresAt ? 'credential-expired' : null;
}
