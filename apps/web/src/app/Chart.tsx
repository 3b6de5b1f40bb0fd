import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Only the charts and pieces the screens use: the whole of echarts would triple the app's JS.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** An ECharts chart with a text alternative (`label`) for screen readers. */
export function Chart({
  option,
  label,
  height = 260,
}: {
  option: echarts.EChartsCoreOption;
  label: string;
  height?: number;
}) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(element.current!, undefined, { renderer: 'svg' });
    chart.setOption({ animation: false, ...option });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  // The label is the chart's text alternative; ECharts' own drawing is hidden from assistive technology
  // (its generated description would replace the label on the element it draws in).
  return (
    <div role="img" aria-label={label}>
      <div ref={element} aria-hidden="true" style={{ width: '100%', height }} />
    </div>
  );
}
