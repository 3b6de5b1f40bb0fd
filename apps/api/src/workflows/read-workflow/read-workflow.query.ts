import { Query } from '@nestjs/cqrs';
import type { DefinitionView } from './read-workflow.handler';

/** Reads a workflow or scorecard template by folding its stream (versions are in the events). */
export class ReadDefinitionQuery extends Query<DefinitionView> {
  constructor(
    readonly kind: 'workflow' | 'scorecardTemplate',
    readonly tenantId: string,
    readonly id: string,
  ) {
    super();
  }
}
