import { Inject, Param, Res } from '@nestjs/common';
import {
  AGGREGATES,
  evolveCycle,
  initialCycleState,
  readableAppraisees,
  readsEveryAppraisal,
  seesAppraisalOf,
  type Subject,
} from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { StreamLoader } from '../../event-store/stream-loader';
import { CLOCK, type Clock } from '../../clock/clock';
import { setEtag, type HeaderReply } from '../../event-store/etag';
import { OrgRelations } from '../../directory/org-relations';
import { notFound } from '../../errors/problem';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { CycleResponse } from './cycle.response';
import { ApiController, Route } from '../../openapi/route';
import { OVERSEEING_ROLES } from '../../auth/role-sets';

@ApiController('cycles')
export class ReadCycleController {
  constructor(
    private readonly loader: StreamLoader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly relations: OrgRelations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Route('GET', ':cycleId', {
    roles: OVERSEEING_ROLES,
    summary:
      'A cycle: status, pinned workflow version, its appraisals (those the caller may see) and how many are open yet',
    answer: CycleResponse,
  })
  async cycle(
    @CurrentPrincipal() me: Principal,
    @Param('cycleId') cycleId: string,
    @Res({ passthrough: true }) reply: HeaderReply,
  ) {
    const loaded = await this.loader.load(me.tenantId, streamName(AGGREGATES.cycle, me.tenantId, cycleId), {
      evolve: evolveCycle,
      initialState: initialCycleState,
    });
    if (loaded.revision === null || loaded.state.status === 'empty') throw notFound(`No cycle "${cycleId}".`);
    setEtag(reply, loaded.revision);
    const openedEvent = loaded.events.find((event) => event.type === 'CycleOpened');
    // A manager sees the appraisals of their own line only (ADR 0122): the list, the units and the
    // subjects are cut to those; the counts stay the cycle's, as they name nobody.
    const visible = await this.visibleTo(me, (openedEvent?.data as Opened | undefined)?.appraisals ?? []);
    const opened = openedEvent && {
      ...(openedEvent.data as Opened),
      appraisals: (openedEvent.data as Opened).appraisals.filter((a) => visible.has(a.appraisalId)),
    };
    // The cycle-opening process manager opens the appraisals after the cycle: count those open yet
    // (one event of each stream is enough to know it exists).
    const { appraisalIds } = loaded.state;
    const existing = await this.store.readStreams(
      appraisalIds.map((id) => streamName(AGGREGATES.appraisal, me.tenantId, id)),
      { maxCount: 1 },
    );
    const done = existing.size === appraisalIds.length;
    return {
      ...loaded.state,
      appraisalIds: appraisalIds.filter((id) => visible.has(id)),
      unitOf: Object.fromEntries(Object.entries(loaded.state.unitOf).filter(([id]) => visible.has(id))),
      revision: String(loaded.revision),
      opening: {
        opened: existing.size,
        of: appraisalIds.length,
        done,
        progress: `${done ? 'opened' : 'opening'} ${existing.size} of ${appraisalIds.length}`,
      },
      opened: opened ?? null,
    };
  }

  /**
   * The cycle's appraisals the caller may know of: a person's appraisal when `readableAppraisees`
   * lists them (the rule the score list and reports ask), a unit's when `seesAppraisalOf` allows it.
   */
  private async visibleTo(me: Principal, appraisals: Opened['appraisals']): Promise<Set<string>> {
    if (readsEveryAppraisal(me.role)) return new Set(appraisals.map((a) => a.appraisalId));
    const now = this.clock.now().toISOString();
    const directory = await this.relations.directory(me.tenantId);
    const people = new Set(readableAppraisees(me, directory, now));
    return new Set(
      appraisals
        .filter(({ subject }) =>
          subject.kind === 'employee'
            ? people.has(subject.employeeId)
            : seesAppraisalOf(me, directory, subject, now),
        )
        .map((a) => a.appraisalId),
    );
  }
}

interface Opened {
  appraisals: { appraisalId: string; subject: Subject }[];
}
