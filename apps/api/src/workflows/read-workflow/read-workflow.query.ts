/** Reads a workflow or scorecard template by folding its stream (versions are in the events). */
export class ReadDefinitionQuery {
  constructor(
    readonly kind: 'workflow' | 'scorecardTemplate',
    readonly tenantId: string,
    readonly id: string,
  ) {}
}
