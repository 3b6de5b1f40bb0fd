import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AGGREGATES, evolveCycle, initialCycleState } from '@verity/domain';
import { streamName } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal, Roles } from '../../auth/roles.decorator';
import { CommandExecutor } from '../../commands/command-executor';
import { etagOf } from '../../commands/etag';
import { notFound } from '../../errors/problem';

type Reply = { header(name: string, value: string): unknown };

@ApiTags('cycles')
@Controller('cycles')
export class ReadCycleController {
  constructor(private readonly executor: CommandExecutor) {}

  @Get(':cycleId')
  @Roles('hr', 'process-owner', 'manager')
  @ApiOperation({ summary: 'A cycle: status, pinned workflow version, its appraisals' })
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
    return { ...loaded.state, revision: String(loaded.revision), opened: opened?.data ?? null };
  }
}
