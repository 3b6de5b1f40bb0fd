import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AGGREGATES, evolveCycle, initialCycleState } from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal, Roles } from '../../auth/roles.decorator';
import { CommandExecutor } from '../../commands/command-executor';
import { etagOf } from '../../commands/etag';
import { notFound } from '../../errors/problem';
import { EVENT_STORE } from '../../event-store/event-store.provider';

type Reply = { header(name: string, value: string): unknown };

@ApiTags('cycles')
@Controller('cycles')
export class ReadCycleController {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get(':cycleId')
  @Roles('hr', 'process-owner', 'manager')
  @ApiOperation({
    summary: 'A cycle: status, pinned workflow version, its appraisals and how many are open yet',
  })
  async cycle(
    @CurrentPrincipal() me: Principal,
    @Param('cycleId') cycleId: string,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const loaded = await this.executor.load(me.tenantId, streamName(AGGREGATES.cycle, me.tenantId, cycleId), {
      evolve: evolveCycle,
      initialState: initialCycleState,
    });
    if (loaded.revision === null || loaded.state.status === 'empty') throw notFound(`No cycle "${cycleId}".`);
    reply.header('ETag', etagOf(loaded.revision));
    const opened = loaded.events.find((event) => event.type === 'CycleOpened');
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
      revision: String(loaded.revision),
      opening: {
        opened: existing.size,
        of: appraisalIds.length,
        done,
        progress: `${done ? 'opened' : 'opening'} ${existing.size} of ${appraisalIds.length}`,
      },
      opened: opened?.data ?? null,
    };
  }
}
