import { Module } from '@nestjs/common';
import { registerRoutes } from '../commands/command-routes';
import { CommandsModule } from '../commands/commands.module';
import { OpenCycleController } from './open-cycle/open-cycle.http.controller';
import { ReadCycleController } from './read-cycle/read-cycle.http.controller';
import { ReadTargetTreeController } from './read-target-tree/read-target-tree.http.controller';
import { HR_AND_PROCESS_OWNERS } from '../auth/role-sets';

const CycleCommandsController = registerRoutes('cycles', 'cycles', [
  {
    command: 'CloseCycle',
    path: ':cycleId/close',
    roles: HR_AND_PROCESS_OWNERS,
    summary: 'Close a cycle',
    example: {},
  },
  {
    command: 'SetTarget',
    path: ':cycleId/targets',
    roles: HR_AND_PROCESS_OWNERS,
    summary:
      "Set a node of the cycle's target tree (company → org units → people): parent, level, indicator and amounts are checked",
    example: {
      targetId: 'east-sales',
      parentId: 'company-sales',
      level: 'org-unit',
      ownerId: 'branch-east',
      indicatorId: 'sales_volume',
      unit: 'units',
      rollUp: 'sum',
      amount: '12000',
    },
  },
]);

@Module({
  imports: [CommandsModule],
  controllers: [OpenCycleController, CycleCommandsController, ReadCycleController, ReadTargetTreeController],
})
export class CyclesModule {}
