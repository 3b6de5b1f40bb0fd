import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal, Roles } from '../../auth/roles.decorator';
import { etagOf } from '../../event-store/etag';
import { notFound } from '../../errors/problem';
import { jsonSchemaOf } from '../../openapi/json-schema';
import { ValidQuery } from '../../validation/zod.pipe';
import { diffJson } from '../diff-versions/definition-diff';
import { ReadDefinitionQuery } from './read-workflow.query';
import type { DefinitionView } from './read-workflow.handler';
import {
  DefinitionDiffResponse,
  DefinitionSummaryResponse,
  ScorecardTemplateVersionResponse,
  WorkflowVersionResponse,
} from './workflow.response';

type Reply = { header(name: string, value: string): unknown };
const Version = z.coerce.number().int().positive();
const DiffQuery = z.object({ from: Version, to: Version });
const READERS = ['process-owner', 'hr', 'manager', 'employee'] as const;

/** Workflow and scorecard-template versions, read from their streams; a diff between two versions. */
@ApiTags('workflows')
@Controller()
export class ReadWorkflowController {
  constructor(private readonly queries: QueryBus) {}

  @Get('workflows/:workflowId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A workflow: status, latest version and the list of versions' })
  @ApiOkResponse({ schema: jsonSchemaOf(DefinitionSummaryResponse) as never })
  async workflow(
    @CurrentPrincipal() me: Principal,
    @Param('workflowId') id: string,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return summary(await this.read('workflow', me, id), reply);
  }

  @Get('workflows/:workflowId/versions/:version')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One published workflow version (immutable)' })
  @ApiOkResponse({ schema: jsonSchemaOf(WorkflowVersionResponse) as never })
  async workflowVersion(
    @CurrentPrincipal() me: Principal,
    @Param('workflowId') id: string,
    @Param('version') version: string,
  ) {
    return versionOf(await this.read('workflow', me, id), version);
  }

  @Get('workflows/:workflowId/diff')
  @Roles(...READERS)
  @ApiOperation({ summary: 'What changed between two workflow versions' })
  @ApiOkResponse({ schema: jsonSchemaOf(DefinitionDiffResponse) as never })
  async workflowDiff(
    @CurrentPrincipal() me: Principal,
    @Param('workflowId') id: string,
    @ValidQuery(DiffQuery) query: z.output<typeof DiffQuery>,
  ) {
    const view = await this.read('workflow', me, id);
    const from = versionOf(view, String(query.from)).definition;
    const to = versionOf(view, String(query.to)).definition;
    return { workflowId: id, from: query.from, to: query.to, changes: diffJson(from, to) };
  }

  @Get('scorecard-templates/:templateId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A scorecard template: latest version and the list of versions' })
  @ApiOkResponse({ schema: jsonSchemaOf(DefinitionSummaryResponse) as never })
  async template(
    @CurrentPrincipal() me: Principal,
    @Param('templateId') id: string,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return summary(await this.read('scorecardTemplate', me, id), reply);
  }

  @Get('scorecard-templates/:templateId/versions/:version')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One published scorecard template version' })
  @ApiOkResponse({ schema: jsonSchemaOf(ScorecardTemplateVersionResponse) as never })
  async templateVersion(
    @CurrentPrincipal() me: Principal,
    @Param('templateId') id: string,
    @Param('version') version: string,
  ) {
    return versionOf(await this.read('scorecardTemplate', me, id), version);
  }

  private read(kind: 'workflow' | 'scorecardTemplate', me: Principal, id: string): Promise<DefinitionView> {
    return this.queries.execute(new ReadDefinitionQuery(kind, me.tenantId, id));
  }
}

function summary(view: DefinitionView, reply: Reply) {
  reply.header('ETag', etagOf(view.revision));
  return {
    id: view.id,
    status: view.status,
    latestVersion: view.latest,
    versions: Object.keys(view.versions).map(Number),
    revision: String(view.revision),
  };
}

function versionOf(view: DefinitionView, version: string) {
  const number = Version.safeParse(version);
  const definition = number.success ? view.versions[number.data] : undefined;
  if (!definition) throw notFound(`"${view.id}" has no version ${version}.`);
  return { id: view.id, version: number.data, definition };
}
