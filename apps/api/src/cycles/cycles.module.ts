import { Module } from '@nestjs/common';
import { registerRoutes } from '../commands/command-routes';
import { CommandsModule } from '../commands/commands.module';
import { OpenCycleController } from './open-cycle/open-cycle.http.controller';
import { ReadCycleController } from './read-cycle/read-cycle.http.controller';

const CycleCommandsController = registerRoutes('cycles', 'cycles', [
  {
    command: 'CloseCycle',
    path: ':cycleId/close',
    roles: ['hr', 'process-owner'],
    summary: 'Close a cycle',
    example: {},
  },
]);

@Module({
  imports: [CommandsModule],
  controllers: [OpenCycleController, CycleCommandsController, ReadCycleController],
})
export class CyclesModule {}
