import { sales4232Workflow } from '@verity/domain';
import type { TenantFixture } from './tenant-fixture';

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

/**
 * Posts `yaml` as an upload sends it to a version route of the sales-4232 workflow (`versions`,
 * `versions/preview?expectedVersion=1`…), as the process owner unless `as` is given. The response is
 * returned as it is.
 */
export const postSalesYaml = (t: TenantFixture, route: string, yaml: string, as = t.headers.owner) =>
  t.postFile(`/workflows/sales-4232/${route}`, as, 'application/yaml', yaml);
