import { sales4232Workflow } from '../examples/sales-4232.workflow';
import type { WorkflowDefinition } from '../workflow/workflow-definition.schema';
import { definitionOf } from './appraisal-scenario';

/**
 * DOMAIN.md's worked example: the sales department's one month as the actuals HR files, by
 * indicator (sales 950 of 1,000, receivables 2.2 days, inventory 450, product mix 330 of 400).
 */
export const workedMonth = { sales_volume: '950', receivables: '2.2', inventory: '450', product_mix: '330' };

type SalesScorecard = typeof sales4232Workflow.scorecard;

/** The sales workflow with parts of its scorecard (its indicators, its aggregation) replaced. */
export const salesWithScorecard = (scorecard: Record<string, unknown>): WorkflowDefinition =>
  definitionOf({ ...sales4232Workflow, scorecard: { ...sales4232Workflow.scorecard, ...scorecard } });

/** The sales workflow with one of its indicators changed, the others as they are. */
export const salesWithIndicator = (
  indicatorId: string,
  change: (indicator: SalesScorecard['indicators'][number]) => Record<string, unknown>,
): WorkflowDefinition =>
  salesWithScorecard({
    indicators: sales4232Workflow.scorecard.indicators.map((indicator) =>
      indicator.id === indicatorId ? change(indicator) : indicator,
    ),
  });
