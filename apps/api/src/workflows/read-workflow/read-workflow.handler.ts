import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  evolveScorecardTemplate,
  evolveWorkflow,
  initialScorecardTemplateState,
  initialWorkflowState,
} from '@verity/domain';
import { streamName } from '@verity/event-store';
import { AGGREGATES } from '@verity/domain';
import { CommandExecutor } from '../../commands/command-executor';
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
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ kind, tenantId, id }: ReadDefinitionQuery): Promise<DefinitionView> {
    const loaded =
      kind === 'workflow'
        ? await this.executor.load(tenantId, streamName(AGGREGATES.workflow, tenantId, id), {
            evolve: evolveWorkflow,
            initialState: initialWorkflowState,
          })
        : await this.executor.load(tenantId, streamName(AGGREGATES.scorecardTemplate, tenantId, id), {
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
