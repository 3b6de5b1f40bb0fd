import { Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { setEtag, type HeaderReply } from '../../event-store/etag';
import { notFound } from '../../errors/problem';
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
import { ApiController, Route } from '../../openapi/route';
import { PERSON_ROLES } from '../../auth/role-sets';

const Version = z.coerce.number().int().positive();
const DiffQuery = z.object({ from: Version, to: Version });

/** Workflow and scorecard-template versions, read from their streams; a diff between two versions. */
@ApiController('workflows', '/')
export class ReadWorkflowController {
  constructor(private readonly queries: QueryBus) {}

  @Route('GET', 'workflows/:workflowId', {
    roles: PERSON_ROLES,
    summary: 'A workflow: status, latest version and the list of versions',
    answer: DefinitionSummaryResponse,
  })
  async workflow(
    @CurrentPrincipal() me: Principal,
    @Param('workflowId') id: string,
    @Res({ passthrough: true }) reply: HeaderReply,
  ) {
    return summary(await this.read('workflow', me, id), reply);
  }

  @Route('GET', 'workflows/:workflowId/versions/:version', {
    roles: PERSON_ROLES,
    summary: 'One published workflow version (immutable)',
    answer: WorkflowVersionResponse,
  })
  async workflowVersion(
    @CurrentPrincipal() me: Principal,
    @Param('workflowId') id: string,
    @Param('version') version: string,
  ) {
    return versionOf(await this.read('workflow', me, id), version);
  }

  @Route('GET', 'workflows/:workflowId/diff', {
    roles: PERSON_ROLES,
    summary: 'What changed between two workflow versions',
    answer: DefinitionDiffResponse,
  })
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

  @Route('GET', 'scorecard-templates/:templateId', {
    roles: PERSON_ROLES,
    summary: 'A scorecard template: latest version and the list of versions',
    answer: DefinitionSummaryResponse,
  })
  async template(
    @CurrentPrincipal() me: Principal,
    @Param('templateId') id: string,
    @Res({ passthrough: true }) reply: HeaderReply,
  ) {
    return summary(await this.read('scorecardTemplate', me, id), reply);
  }

  @Route('GET', 'scorecard-templates/:templateId/versions/:version', {
    roles: PERSON_ROLES,
    summary: 'One published scorecard template version',
    answer: ScorecardTemplateVersionResponse,
  })
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

function summary(view: DefinitionView, reply: HeaderReply) {
  setEtag(reply, view.revision);
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
