import { Body, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { sales4232Workflow } from '@verity/domain';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { CommandEndpoint, sendCommand } from '../../commands/command-routes';
import { claimOf } from '../../idempotency/idempotency.interceptor';
import type { Reply } from '../../event-store/etag';
import { readPublishBody, versionBody } from './publish-version.request';
import { ApiController } from '../../openapi/route';
import { HR_AND_PROCESS_OWNERS } from '../../auth/role-sets';

/** A publish request's pieces, as its route's parameters take them. */
interface PublishCall {
  principal: Principal;
  body: unknown;
  query: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  reply: Reply;
  request: object;
}

/** Publishes workflow and scorecard-template versions from JSON or YAML; the domain validates them. */
@ApiController('workflows', '/')
export class PublishVersionController {
  constructor(private readonly bus: CommandBus) {}

  @CommandEndpoint('workflows/:workflowId/versions', 'PublishWorkflowVersion', {
    roles: HR_AND_PROCESS_OWNERS,
    summary: 'Publish a new workflow version (JSON or YAML)',
  })
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
    @Req() request: object,
  ) {
    const call = { principal, body, query, headers, reply, request };
    return this.publish(call, 'PublishWorkflowVersion', (version) => ({ workflowId, ...version }));
  }

  @CommandEndpoint('scorecard-templates/:templateId/versions', 'PublishScorecardTemplateVersion', {
    roles: HR_AND_PROCESS_OWNERS,
    summary: 'Publish a new scorecard template version (JSON or YAML)',
  })
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
    @Req() request: object,
  ) {
    const call = { principal, body, query, headers, reply, request };
    return this.publish(call, 'PublishScorecardTemplateVersion', ({ definition, expectedVersion }) => ({
      templateId,
      template: definition,
      expectedVersion,
    }));
  }

  /** The version in the request (JSON, or YAML with `?expectedVersion=`) sent as `command`'s payload. */
  private publish(
    { principal, body, query, headers, reply, request }: PublishCall,
    command: 'PublishWorkflowVersion' | 'PublishScorecardTemplateVersion',
    payloadOf: (version: ReturnType<typeof readPublishBody>) => Record<string, unknown>,
  ) {
    const version = readPublishBody(headers['content-type'], body, query);
    return sendCommand(this.bus, command, payloadOf(version), principal, headers, reply, claimOf(request));
  }
}
