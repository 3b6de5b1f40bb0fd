import { applyDecorators, Body, Controller, Headers, Param, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { sales4232Workflow } from '@verity/domain';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { commandAnswerResponses, sendCommand } from '../../commands/command-routes';
import { readPublishBody, versionBody } from './publish-version.request';
import { Route } from '../../openapi/route';

type Reply = { status(code: number): unknown; header(name: string, value: string): unknown };
const AUTHORS = ['process-owner', 'hr'] as const;

/** Publishes workflow and scorecard-template versions from JSON or YAML; the domain validates them. */
@ApiTags('workflows')
@Controller()
export class PublishVersionController {
  constructor(private readonly bus: CommandBus) {}

  @Route('POST', 'workflows/:workflowId/versions', {
    roles: AUTHORS,
    summary: 'Publish a new workflow version (JSON or YAML)',
    operationId: 'PublishWorkflowVersion',
    status: 200,
  })
  @applyDecorators(...commandAnswerResponses('PublishWorkflowVersion'))
  @versionBody('JSON `{definition, expectedVersion}`, or the definition itself as application/yaml', {
    definition: sales4232Workflow,
    expectedVersion: 0,
  })
  publishWorkflow(
    @CurrentPrincipal() principal: Principal,
    @Param('workflowId') workflowId: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const { definition, expectedVersion } = readPublishBody(headers['content-type'], body, query);
    return sendCommand(
      this.bus,
      'PublishWorkflowVersion',
      { workflowId, definition, expectedVersion },
      principal,
      headers,
      reply,
    );
  }

  @Route('POST', 'scorecard-templates/:templateId/versions', {
    roles: AUTHORS,
    summary: 'Publish a new scorecard template version (JSON or YAML)',
    operationId: 'PublishScorecardTemplateVersion',
    status: 200,
  })
  @applyDecorators(...commandAnswerResponses('PublishScorecardTemplateVersion'))
  @versionBody('JSON `{definition, expectedVersion}`, or the template itself as application/yaml', {
    definition: sales4232Workflow.scorecard,
    expectedVersion: 0,
  })
  publishTemplate(
    @CurrentPrincipal() principal: Principal,
    @Param('templateId') templateId: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const { definition, expectedVersion } = readPublishBody(headers['content-type'], body, query);
    return sendCommand(
      this.bus,
      'PublishScorecardTemplateVersion',
      { templateId, template: definition, expectedVersion },
      principal,
      headers,
      reply,
    );
  }
}
