import { Body, Headers, Inject, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { z } from 'zod';
import {
  AGGREGATES,
  evolveAppraisal,
  initialAppraisalState,
  sales4232Workflow,
  type AppraisalEvent,
} from '@verity/domain';
import { streamName, type EventStore, type RecordedEvent } from '@verity/event-store';
import { whatIfPeriod } from '@verity/projections';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { isStreamNotFound } from '../../event-store/stream-loader';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { notFound, Problem } from '../../errors/problem';
import { WhatIfDraftResponse } from './what-if-draft.response';
import { ValidQuery, QueryId } from '../../validation/zod.pipe';
import { decideDraftVersion } from '../publish-version/decide-draft';
import { readPublishBody, versionBody } from '../publish-version/publish-version.request';
import { ApiController, Route } from '../../openapi/route';
import { HR_AND_PROCESS_OWNERS } from '../../auth/role-sets';

export const WhatIfDraftQuery = z.strictObject({
  /** The live appraisals to recompute, comma-separated (at most 20: one fold of each stream). */
  appraisalIds: z
    .string()
    .min(1)
    .transform((ids) => ids.split(',').map((id) => id.trim()))
    .pipe(z.array(QueryId).min(1).max(20)),
  expectedVersion: z.coerce.number().int().nonnegative().optional(),
});

/**
 * A draft workflow version applied to chosen live appraisals, nothing written: the draft is decided
 * exactly as publishing would (ADR 0101's `decideOnly`; refused with the same 400/422), then each
 * filed period of each appraisal is scored under the draft beside the score it holds today (the
 * score what-if of a published version, `whatIfPeriod`, with the draft's definition).
 */
@ApiController('workflows', '/')
export class WhatIfDraftController {
  constructor(
    private readonly bus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Route('POST', 'workflows/:workflowId/versions/what-if', {
    roles: HR_AND_PROCESS_OWNERS,
    summary:
      "A draft workflow version (JSON or YAML) applied to chosen live appraisals: each filed period's score under the draft beside today's; nothing is written",
    operationId: 'WhatIfWorkflowDraft',
    answer: WhatIfDraftResponse,
    status: 200,
  })
  @versionBody(
    'As for publishing: JSON `{definition, expectedVersion}`, or the definition itself as application/yaml',
    { definition: sales4232Workflow },
    { expectedVersionQuery: false },
  )
  async whatIf(
    @CurrentPrincipal() principal: Principal,
    @Param('workflowId') workflowId: string,
    @Body() body: unknown,
    @ValidQuery(WhatIfDraftQuery) query: z.output<typeof WhatIfDraftQuery>,
    @Headers() headers: Record<string, string | undefined>,
  ) {
    const { definition, expectedVersion } = readPublishBody(headers['content-type'], body, {
      expectedVersion: query.expectedVersion,
    });
    // The draft as the domain would store it (defaults filled in): what the appraisals would be scored under.
    const { draft } = await decideDraftVersion(this.bus, principal, headers, {
      workflowId,
      definition,
      expectedVersion,
    });
    if (!draft) throw new Error('the draft publishes no version');
    const streams = await Promise.all(query.appraisalIds.map((id) => this.stream(principal, id)));
    const elsewhere = streams
      .map((stream, index) => ({ index, pinned: (stream[0].data as { workflowId: string }).workflowId }))
      .filter(({ pinned }) => pinned !== workflowId);
    if (elsewhere.length > 0)
      throw new Problem(422, 'other-workflow', 'Some appraisals run under another workflow.', {
        errors: elsewhere.map(({ index, pinned }) => ({
          path: `appraisalIds.${index}`,
          rule: 'same-workflow',
          message: `"${query.appraisalIds[index]}" runs under workflow "${pinned}", not "${workflowId}"`,
        })),
      });
    return {
      workflowId,
      /** The version publishing the draft would create. */
      version: draft.version,
      appraisals: streams.map((stream, index) => {
        const state = stream.reduce(
          (s, e) => evolveAppraisal(s, { type: e.type, data: e.data } as AppraisalEvent),
          initialAppraisalState(),
        );
        if (state.status === 'empty') throw notFound(`No appraisal "${query.appraisalIds[index]}".`);
        // Only periods with actuals can be scored: pending and returned reviews have none, and a
        // month HR waived (ADR 0121) is not scored under any version.
        const filed = state.periodOrder.filter(
          (periodId) => !['pending', 'returned', 'waived'].includes(state.periods[periodId].status),
        );
        return {
          appraisalId: query.appraisalIds[index],
          employeeId: state.subject.kind === 'employee' ? state.subject.employeeId : null,
          workflowVersion: state.workflowVersion,
          periods: filed.map((periodId) => whatIfPeriod(stream, periodId, draft.version, draft.definition)),
        };
      }),
    };
  }

  /** An appraisal's stream in the caller's tenant (HR and process owners read any appraisal's score). */
  private async stream(me: Principal, appraisalId: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(streamName(AGGREGATES.appraisal, me.tenantId, appraisalId), {
        tenantId: me.tenantId,
      });
    } catch (error) {
      if (isStreamNotFound(error)) throw notFound(`No appraisal "${appraisalId}".`);
      throw error;
    }
  }
}
