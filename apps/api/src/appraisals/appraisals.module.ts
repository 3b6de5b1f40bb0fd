import { Module } from '@nestjs/common';
import { registerRoutes } from '../commands/command-routes';
import { CommandsModule } from '../commands/commands.module';
import { appraisalRoutes } from './appraisal.routes';
import { NominationCandidatesController } from './nomination-candidates/nomination-candidates.http.controller';
import { ReadAppraisalController } from './read-appraisal/read-appraisal.http.controller';
import { ReadAppraisalHandler } from './read-appraisal/read-appraisal.handler';

/** The appraisal lifecycle: one endpoint per command, plus state, history, events and the nomination picker. */
@Module({
  imports: [CommandsModule],
  controllers: [
    registerRoutes('appraisals', 'appraisals', appraisalRoutes),
    ReadAppraisalController,
    NominationCandidatesController,
  ],
  providers: [ReadAppraisalHandler],
})
export class AppraisalsModule {}
