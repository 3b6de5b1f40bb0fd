import { Body, Headers, Param, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { sales4232Workflow } from '@verity/domain';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { Problem } from '../../errors/problem';
import { diffJson } from '../diff-versions/definition-diff';
import { decideDraftVersion } from '../publish-version/decide-draft';
import { readPublishBody, versionBody } from '../publish-version/publish-version.request';
import { ReadDefinitionQuery } from '../read-workflow/read-workflow.query';
import { VersionPreviewResponse } from '../read-workflow/workflow.response';
import { ApiController, Route } from '../../openapi/route';
import { HR_AND_PROCESS_OWNERS } from '../../auth/role-sets';

/**
 * A draft workflow version checked as publishing would check it (the same body, the same decision
 * through `decideOnly`, the same 400/422 with each problem's path), nothing written; when it would
 * be accepted, what it changes against the latest published version. The web editor shows the
 * problems on their lines and the diff before the process owner publishes.
 */
@ApiController('workflows', '/')
export class PreviewVersionController {
  constructor(
    private readonly bus: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Route('POST', 'workflows/:workflowId/versions/preview', {
    roles: HR_AND_PROCESS_OWNERS,
    summary:
      'Check a draft workflow version (JSON or YAML) and diff it against the latest; publishes nothing',
    operationId: 'PreviewWorkflowVersion',
    answer: VersionPreviewResponse,
    status: 200,
  })
  @versionBody(
    'As for publishing: JSON `{definition, expectedVersion}`, or the definition itself as application/yaml',
    { definition: sales4232Workflow, expectedVersion: 0 },
  )
  async preview(
    @CurrentPrincipal() principal: Principal,
    @Param('workflowId') workflowId: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Headers() headers: Record<string, string | undefined>,
  ) {
    const { definition, expectedVersion } = readPublishBody(headers['content-type'], body, query);
    const { outcome, draft: published } = await decideDraftVersion(this.bus, principal, headers, {
      workflowId,
      definition,
      expectedVersion,
    });
    const latest = outcome.revision === null ? null : await this.latest(principal, workflowId);
    return {
      workflowId,
      /** The caller's tenant's workflow stream the version would be appended to. */
      streamId: outcome.streamId,
      /** The version publishing this draft would create. */
      version: (latest?.version ?? 0) + 1,
      events: outcome.events.map((event) => event.type),
      /** Against the latest published version (null for a first version). */
      against: latest?.version ?? null,
      changes: latest ? diffJson(latest.definition, published?.definition ?? definition) : null,
    };
  }

  private async latest(principal: Principal, workflowId: string) {
    try {
      const view = await this.queries.execute(
        new ReadDefinitionQuery('workflow', principal.tenantId, workflowId),
      );
      return { version: view.latest, definition: view.versions[view.latest] };
    } catch (error) {
      if (error instanceof Problem && error.status === 404) return null;
      throw error;
    }
  }
}
