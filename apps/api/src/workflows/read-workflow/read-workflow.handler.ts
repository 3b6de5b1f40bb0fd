import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  evolveScorecardTemplate,
  evolveWorkflow,
  initialScorecardTemplateState,
  initialWorkflowState,
} from '@verity/domain';
import { streamName } from '@verity/event-store';
import { AGGREGATES } from '@verity/domain';
import { StreamLoader } from '../../event-store/stream-loader';
import { notFound } from '../../errors/problem';
import { ReadDefinitionQuery } from './read-workflow.query';

export interface DefinitionView {
  id: string;
  status: string;
  latest: number;
  revision: bigint;
  versions: Record<number, unknown>;
}

@QueryHandler(ReadDefinitionQuery)
export class ReadDefinitionHandler implements IQueryHandler<ReadDefinitionQuery, DefinitionView> {
  constructor(private readonly loader: StreamLoader) {}

  async execute({ kind, tenantId, id }: ReadDefinitionQuery): Promise<DefinitionView> {
    const loaded =
      kind === 'workflow'
        ? await this.loader.load(tenantId, streamName(AGGREGATES.workflow, tenantId, id), {
            evolve: evolveWorkflow,
            initialState: initialWorkflowState,
          })
        : await this.loader.load(tenantId, streamName(AGGREGATES.scorecardTemplate, tenantId, id), {
            evolve: evolveScorecardTemplate,
            initialState: initialScorecardTemplateState,
          });
    const state = loaded.state;
    if (state.status === 'empty' || loaded.revision === null) {
      throw notFound(`No ${kind === 'workflow' ? 'workflow' : 'scorecard template'} "${id}".`);
    }
    return {
      id,
      status: state.status,
      latest: state.latest,
      revision: loaded.revision,
      versions: state.versions,
    };
  }
}
