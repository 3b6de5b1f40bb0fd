import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { FileActualsController } from './file-actuals/file-actuals.http.controller';
import { FileActualsHandler } from './file-actuals/file-actuals.handler';

/** Actuals other systems file (integrators with `actuals:write`, or HR). */
@Module({
  imports: [CommandsModule],
  controllers: [FileActualsController],
  providers: [FileActualsHandler],
})
export class ActualsModule {}
