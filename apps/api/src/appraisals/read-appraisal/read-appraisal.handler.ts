import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  AGGREGATES,
  evolveAppraisal,
  initialAppraisalState,
  type Appraisal,
  type AppraisalEvent,
} from '@verity/domain';
import { streamName, type RecordedEvent } from '@verity/event-store';
import { CommandExecutor } from '../../commands/command-executor';
import { OrgRelations } from '../../commands/org-relations';
import { CLOCK, type Clock } from '../../commands/clock';
import { notFound } from '../../errors/problem';
import { ReadAppraisalQuery } from './read-appraisal.query';

export interface AppraisalView {
  state: Appraisal;
  revision: bigint;
  events: RecordedEvent[];
}

/** Who may read an appraisal besides HR, process owners, auditors and admins: the appraisee and their managers. */
const READING_RELATIONS = new Set(['self', 'manager', 'skip-level']);
const READ_ANY = new Set(['hr', 'process-owner', 'auditor', 'admin']);

@QueryHandler(ReadAppraisalQuery)
export class ReadAppraisalHandler implements IQueryHandler<ReadAppraisalQuery, AppraisalView> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly relations: OrgRelations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, appraisalId, untilRevision }: ReadAppraisalQuery): Promise<AppraisalView> {
    const loaded = await this.executor.load(
      principal.tenantId,
      streamName(AGGREGATES.appraisal, principal.tenantId, appraisalId),
      {
        evolve: evolveAppraisal,
        initialState: initialAppraisalState,
      },
    );
    if (loaded.revision === null || loaded.state.status === 'empty')
      throw notFound(`No appraisal "${appraisalId}".`);
    if (!READ_ANY.has(principal.role)) {
      const subject = loaded.state.subject.kind === 'employee' ? loaded.state.subject.employeeId : null;
      const relation = await this.relations.relationOf(principal, subject, this.clock.now().toISOString());
      // Someone else's appraisal reads as absent: its existence is not disclosed.
      if (!READING_RELATIONS.has(relation)) throw notFound(`No appraisal "${appraisalId}".`);
    }
    if (untilRevision === undefined)
      return { state: loaded.state, revision: loaded.revision, events: loaded.events };
    const events = loaded.events.filter((event) => event.streamRevision <= untilRevision);
    const state = events.reduce(
      (current, event) => evolveAppraisal(current, { type: event.type, data: event.data } as AppraisalEvent),
      initialAppraisalState(),
    );
    return { state, revision: events.length ? events[events.length - 1].streamRevision : -1n, events };
  }
}
