import { Module } from '@nestjs/common';
import { registerRoutes } from '../commands/command-routes';
import { CommandsModule } from '../commands/commands.module';
import { appraisalRoutes } from './appraisal.routes';
import { ReadAppraisalController } from './read-appraisal/read-appraisal.http.controller';
import { ReadAppraisalHandler } from './read-appraisal/read-appraisal.handler';

/** The appraisal lifecycle: one endpoint per command, plus state, history and events. */
@Module({
  imports: [CommandsModule],
  controllers: [registerRoutes('appraisals', 'appraisals', appraisalRoutes), ReadAppraisalController],
  providers: [ReadAppraisalHandler],
})
export class AppraisalsModule {}
