import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  AGGREGATES,
  visibleRatings,
  type Appraisal,
  type OpenedAppraisal,
  type Viewer,
  appraisalDecider,
  fold,
  seesAppraisal,
} from '@verity/domain';
import { streamName, type RecordedEvent } from '@verity/event-store';
import { StreamLoader } from '../../event-store/stream-loader';
import { OrgRelations } from '../../directory/org-relations';
import { CLOCK, type Clock } from '../../clock/clock';
import { PinnedWorkflows } from '../../workflows/pinned-workflows';
import { notFound } from '../../errors/problem';
import { ReadAppraisalQuery } from './read-appraisal.query';

/** The appraisal as a reader may see it: anonymous rater groups folded into their averages (ADR 0112). */
export type AppraisalAsSeen =
  { status: 'empty' } | (Omit<OpenedAppraisal, 'ratings'> & { ratings: ReturnType<typeof visibleRatings> });

export interface AppraisalView {
  state: AppraisalAsSeen;
  revision: bigint;
  events: RecordedEvent[];
  /** Who reads, for the visibility rule the routes apply to each event. */
  viewer: Viewer;
}

@QueryHandler(ReadAppraisalQuery)
export class ReadAppraisalHandler implements IQueryHandler<ReadAppraisalQuery, AppraisalView> {
  constructor(
    private readonly loader: StreamLoader,
    private readonly relations: OrgRelations,
    private readonly workflows: PinnedWorkflows,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, appraisalId, untilRevision }: ReadAppraisalQuery): Promise<AppraisalView> {
    const loaded = await this.loader.load(
      principal.tenantId,
      streamName(AGGREGATES.appraisal, principal.tenantId, appraisalId),
      appraisalDecider,
    );
    if (loaded.revision === null || loaded.state.status === 'empty')
      throw notFound(`No appraisal "${appraisalId}".`);
    const subject = loaded.state.subject.kind === 'employee' ? loaded.state.subject.employeeId : null;
    const viewer = await this.relations.viewerOf(principal, subject, this.clock.now().toISOString());
    // Someone else's appraisal reads as absent: its existence is not disclosed.
    if (!seesAppraisal(viewer)) throw notFound(`No appraisal "${appraisalId}".`);
    const events =
      untilRevision === undefined
        ? loaded.events
        : loaded.events.filter((event) => event.streamRevision <= untilRevision);
    const state = fold(appraisalDecider, events);
    return {
      state: await this.asSeenBy(principal.tenantId, viewer, state),
      revision: events.length ? events[events.length - 1].streamRevision : -1n,
      events,
      viewer,
    };
  }

  private async asSeenBy(tenantId: string, viewer: Viewer, state: Appraisal): Promise<AppraisalAsSeen> {
    if (state.status === 'empty') return state;
    const { definition } = await this.workflows.pinned(tenantId, state.workflowId, state.workflowVersion);
    return {
      ...state,
      ratings: visibleRatings(viewer, state.ratings, definition.raterGroups, definition.rounding),
    };
  }
}
