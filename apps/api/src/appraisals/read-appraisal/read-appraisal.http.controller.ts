import { Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { z } from 'zod';
import type { RecordedEvent } from '@verity/event-store';
import {
  anonymousRatersOf,
  seesActor,
  visibleEventData,
  type Viewer,
  type VisibleEvent,
} from '@verity/domain';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { setEtag, type HeaderReply } from '../../event-store/etag';
import { ValidQuery } from '../../validation/zod.pipe';
import { ReadAppraisalQuery } from './read-appraisal.query';
import { AppraisalEventsResponse, AppraisalHistoryResponse } from './appraisal-trail.response';
import { AppraisalStateResponse } from './appraisal.response';
import { ApiController, Route } from '../../openapi/route';
import { PERSON_ROLES } from '../../auth/role-sets';

const AsOfRevision = z.object({ asOfRevision: z.coerce.bigint().nonnegative().optional() });
const Page = z.object({
  fromRevision: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The actor as the visibility rule lets the viewer see it (an anonymous rater is not named). */
function actorView(event: RecordedEvent, viewer: Viewer, anonymousRaters: ReadonlySet<string>) {
  const actor = event.metadata.actor;
  return seesActor(viewer, visible(event), anonymousRaters) ? actor : { id: 'anonymous', role: actor.role };
}

const visible = (event: RecordedEvent): VisibleEvent => ({
  type: event.type,
  data: event.data,
  actorId: event.metadata.actor.id,
});

function eventView(event: RecordedEvent, viewer: Viewer, anonymousRaters: ReadonlySet<string>) {
  return {
    eventId: event.eventId,
    type: event.type,
    revision: String(event.streamRevision),
    position: event.position,
    recordedAt: event.recordedAt.toISOString(),
    actor: actorView(event, viewer, anonymousRaters),
    correlationId: event.metadata.correlationId,
    data: visibleEventData(viewer, visible(event), anonymousRaters),
  };
}

/** An appraisal's state (now or as of a revision), its history and its events, from its stream. */
@ApiController('appraisals')
export class ReadAppraisalController {
  constructor(private readonly queries: QueryBus) {}

  @Route('GET', ':appraisalId', {
    roles: PERSON_ROLES,
    summary: "The appraisal's state; `asOfRevision` reconstructs it at an earlier revision",
    answer: AppraisalStateResponse,
  })
  async appraisal(
    @CurrentPrincipal() me: Principal,
    @Param('appraisalId') appraisalId: string,
    @ValidQuery(AsOfRevision) query: z.output<typeof AsOfRevision>,
    @Res({ passthrough: true }) reply: HeaderReply,
  ) {
    const view = await this.queries.execute(new ReadAppraisalQuery(me, appraisalId, query.asOfRevision));
    if (query.asOfRevision === undefined) setEtag(reply, view.revision);
    return { appraisalId, revision: String(view.revision), state: view.state };
  }

  @Route('GET', ':appraisalId/history', {
    roles: PERSON_ROLES,
    summary: 'What happened, when and by whom (one line per event)',
    answer: AppraisalHistoryResponse,
  })
  async history(@CurrentPrincipal() me: Principal, @Param('appraisalId') appraisalId: string) {
    const view = await this.queries.execute(new ReadAppraisalQuery(me, appraisalId));
    const raters = anonymousRatersOf(view.events.map(visible));
    return {
      appraisalId,
      revision: String(view.revision),
      items: view.events.map((event) => ({
        revision: String(event.streamRevision),
        type: event.type,
        recordedAt: event.recordedAt.toISOString(),
        actor: actorView(event, view.viewer, raters),
      })),
    };
  }

  @Route('GET', ':appraisalId/events', {
    roles: PERSON_ROLES,
    summary:
      "The appraisal's events with metadata; personal data for its author, the appraisee and their managers, HR and the `pii` scope",
    answer: AppraisalEventsResponse,
  })
  async events(
    @CurrentPrincipal() me: Principal,
    @Param('appraisalId') appraisalId: string,
    @ValidQuery(Page) page: z.output<typeof Page>,
  ) {
    const view = await this.queries.execute(new ReadAppraisalQuery(me, appraisalId));
    const items = view.events
      .filter((event) => event.streamRevision >= BigInt(page.fromRevision))
      .slice(0, page.limit);
    const raters = anonymousRatersOf(view.events.map(visible));
    return {
      appraisalId,
      revision: String(view.revision),
      items: items.map((event) => eventView(event, view.viewer, raters)),
    };
  }
}
