import { Skeleton } from 'antd';
import { lazy, Suspense, type ComponentProps } from 'react';

// ECharts is most of the app's JS: it loads with the first chart shown, not with the first screen.
const Chart = lazy(() => import('./Chart').then((m) => ({ default: m.Chart })));

export function LazyChart(props: ComponentProps<typeof Chart>) {
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: props.height ?? 260 }} />}>
      <Chart {...props} />
    </Suspense>
  );
}
