import { sales4232Workflow } from '@verity/domain';

type Indicator = (typeof sales4232Workflow.scorecard.indicators)[number];

/**
 * The sales 4232 workflow with its indicators weighed by `weigh` (given each indicator and its
 * index): a draft to publish, preview or try on live appraisals.
 */
export function salesWeighing(weigh: (indicator: Indicator, index: number) => number) {
  return {
    ...sales4232Workflow,
    scorecard: {
      ...sales4232Workflow.scorecard,
      indicators: sales4232Workflow.scorecard.indicators.map((indicator, index) => ({
        ...indicator,
        weight: weigh(indicator, index),
      })),
    },
  };
}
