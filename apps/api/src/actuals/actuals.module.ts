import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { FileActualsController } from './file-actuals/file-actuals.http.controller';
import { FileActualsHandler } from './file-actuals/file-actuals.handler';
import { FeedUnitResultsController } from './feed-unit-results/feed-unit-results.http.controller';

/** Actuals other systems file (integrators with `actuals:write`, or HR). */
@Module({
  imports: [CommandsModule],
  controllers: [FileActualsController, FeedUnitResultsController],
  providers: [FileActualsHandler],
})
export class ActualsModule {}
