import { Module } from '@nestjs/common';
import { registerRoutes } from '../commands/command-routes';
import { CommandsModule } from '../commands/commands.module';
import { PreviewVersionController } from './preview-version/preview-version.http.controller';
import { PublishVersionController } from './publish-version/publish-version.http.controller';
import { ReadDefinitionHandler } from './read-workflow/read-workflow.handler';
import { ReadWorkflowController } from './read-workflow/read-workflow.http.controller';
import { WhatIfDraftController } from './what-if-draft/what-if-draft.http.controller';
import { HR_AND_PROCESS_OWNERS } from '../auth/role-sets';

const WorkflowCommandsController = registerRoutes('workflows', 'workflows', [
  {
    command: 'RetireWorkflow',
    path: ':workflowId/retire',
    roles: HR_AND_PROCESS_OWNERS,
    summary: 'Retire a workflow: no new cycle may pin it; running appraisals continue',
    example: { reason: 'replaced by the 2027 sales workflow' },
  },
]);

/** Workflow and scorecard-template versions: publish (JSON/YAML), preview and what-if of a draft, retire, read, diff. */
@Module({
  imports: [CommandsModule],
  controllers: [
    PreviewVersionController,
    WhatIfDraftController,
    PublishVersionController,
    WorkflowCommandsController,
    ReadWorkflowController,
  ],
  providers: [ReadDefinitionHandler],
})
export class WorkflowsModule {}
