import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { RecordedEvent } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal, Roles } from '../../auth/roles.decorator';
import { etagOf } from '../../commands/etag';
import { ValidQuery } from '../../validation/zod.pipe';
import { ReadAppraisalQuery } from './read-appraisal.query';
import type { AppraisalView } from './read-appraisal.handler';

type Reply = { header(name: string, value: string): unknown };
const READERS = ['employee', 'manager', 'hr', 'process-owner'] as const;
const AsOfRevision = z.object({ asOfRevision: z.coerce.bigint().nonnegative().optional() });
const Page = z.object({
  fromRevision: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Personal data leaves only for HR, admins and callers holding the `pii` scope. */
const seesPii = (me: Principal) => me.role === 'hr' || me.role === 'admin' || me.scopes.includes('pii');

function redact(data: unknown, me: Principal): unknown {
  if (seesPii(me) || !data || typeof data !== 'object' || !('pii' in data)) return data;
  return { ...(data as Record<string, unknown>), pii: 'redacted' };
}

function eventView(event: RecordedEvent, me: Principal) {
  return {
    eventId: event.eventId,
    type: event.type,
    revision: String(event.streamRevision),
    position: event.position,
    recordedAt: event.recordedAt.toISOString(),
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    data: redact(event.data, me),
  };
}

/** An appraisal's state (now or as of a revision), its history and its events, from its stream. */
@ApiTags('appraisals')
@Controller('appraisals')
export class ReadAppraisalController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':appraisalId')
  @Roles(...READERS)
  @ApiOperation({ summary: "The appraisal's state; `asOfRevision` reconstructs it at an earlier revision" })
  async appraisal(
    @CurrentPrincipal() me: Principal,
    @Param('appraisalId') appraisalId: string,
    @ValidQuery(AsOfRevision) query: z.output<typeof AsOfRevision>,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const view: AppraisalView = await this.queries.execute(
      new ReadAppraisalQuery(me, appraisalId, query.asOfRevision),
    );
    if (query.asOfRevision === undefined) reply.header('ETag', etagOf(view.revision));
    return { appraisalId, revision: String(view.revision), state: view.state };
  }

  @Get(':appraisalId/history')
  @Roles(...READERS)
  @ApiOperation({ summary: 'What happened, when and by whom (one line per event)' })
  async history(@CurrentPrincipal() me: Principal, @Param('appraisalId') appraisalId: string) {
    const view: AppraisalView = await this.queries.execute(new ReadAppraisalQuery(me, appraisalId));
    return {
      appraisalId,
      revision: String(view.revision),
      items: view.events.map((event) => ({
        revision: String(event.streamRevision),
        type: event.type,
        recordedAt: event.recordedAt.toISOString(),
        actor: event.metadata.actor,
      })),
    };
  }

  @Get(':appraisalId/events')
  @Roles(...READERS)
  @ApiOperation({
    summary: "The appraisal's events with metadata (personal data only for HR or the `pii` scope)",
  })
  async events(
    @CurrentPrincipal() me: Principal,
    @Param('appraisalId') appraisalId: string,
    @ValidQuery(Page) page: z.output<typeof Page>,
  ) {
    const view: AppraisalView = await this.queries.execute(new ReadAppraisalQuery(me, appraisalId));
    const items = view.events
      .filter((event) => event.streamRevision >= BigInt(page.fromRevision))
      .slice(0, page.limit);
    return {
      appraisalId,
      revision: String(view.revision),
      items: items.map((event) => eventView(event, me)),
    };
  }
}
