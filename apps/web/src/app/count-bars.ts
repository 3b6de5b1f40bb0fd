/** One measure of a count bar chart: its name in the legend, a count per category, its colour. */
export interface CountSeries {
  name: string;
  data: number[];
  /** ECharts' palette picks one when none is given. */
  color?: string;
  /** Bars of one stack sit on each other (parts of one whole) rather than side by side. */
  stack?: string;
}

/** The ECharts option of counts by category, one bar a measure: the layout the screens' count charts share. */
export function countBars(categories: string[], series: CountSeries[]) {
  return {
    tooltip: { trigger: 'axis' },
    // ECharts 6 sets the legend under the axis and leaves the grid room for both: a fixed grid
    // margin drew the legend over the categories' names.
    legend: {},
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((measure) => ({ type: 'bar', ...measure })),
  };
}

/**
 * The text alternative of a count chart: its title, then each category with every measure's count
 * (`say` puts one count and its measure's name in words).
 */
export function countBarsLabel(
  title: string,
  categories: string[],
  series: Pick<CountSeries, 'name' | 'data'>[],
  say: (name: string, count: number) => string,
): string {
  const counts = (index: number) =>
    series.map((measure) => say(measure.name, measure.data[index])).join(', ');
  return `${title}: ${categories.map((category, index) => `${category}: ${counts(index)}`).join('; ')}`;
}
