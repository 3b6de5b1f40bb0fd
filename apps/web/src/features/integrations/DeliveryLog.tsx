import { Badge, Button, Input, Space } from 'antd';
import { useFeedback } from '../../app/feedback';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { useActionMutation } from '../../app/forms';
import { LazyChart } from '../../app/LazyChart';
import { countBars, countBarsLabel } from '../../app/count-bars';
import { deliveriesOverTime } from './deliveries-over-time';
import { keys, useDeliveries, type Delivery } from './queries';
import { ListTable } from '../../app/ListTable';

/** The delivery log of one subscription, newest first, with redeliver and replay from a position. */
export function DeliveryLog({ subscriptionId }: { subscriptionId: string }) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const client = useQueryClient();
  const deliveries = useDeliveries(subscriptionId);
  const [after, setAfter] = useState('0');
  const refresh = () => void client.invalidateQueries({ queryKey: keys.deliveries(subscriptionId) });
  const redeliver = useActionMutation({
    mutationFn: (deliveryId: string) =>
      ok(
        api.POST('/webhooks/deliveries/{deliveryId}/redeliver', {
          params: { path: { deliveryId } },
          body: {},
        }),
      ),
    onSuccess: () => {
      void message.success(t('integrations.deliveries.redelivering'));
      refresh();
    },
  });
  const replay = useActionMutation({
    mutationFn: () =>
      ok(
        api.POST('/webhooks/subscriptions/{subscriptionId}/replay', {
          params: { path: { subscriptionId } },
          body: { after },
        }),
      ),
    onSuccess: ({ scheduled }) => {
      void message.success(t('integrations.deliveries.replayed', { count: scheduled }));
      refresh();
    },
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Button size="small" onClick={refresh} loading={deliveries.isFetching}>
          {t('integrations.deliveries.refresh')}
        </Button>
        <label>
          {t('integrations.deliveries.replayAfter')}{' '}
          <Input
            size="small"
            value={after}
            onChange={(event) => setAfter(event.target.value)}
            style={{ width: 140 }}
          />
        </label>
        <Button size="small" onClick={() => replay.mutate()} loading={replay.isPending}>
          {t('integrations.deliveries.replay')}
        </Button>
      </Space>
      <DeliveriesOverTime deliveries={deliveries.data?.items ?? []} />
      <ListTable<Delivery>
        label={t('integrations.deliveries.title')}
        rowKey="deliveryId"
        loading={deliveries.isLoading}
        dataSource={deliveries.data?.items ?? []}
        pagination={{ pageSize: 10 }}
        empty={t('integrations.deliveries.empty')}
        columns={[
          { title: t('integrations.deliveries.position'), dataIndex: 'position' },
          { title: t('integrations.deliveries.type'), dataIndex: 'eventType' },
          {
            title: t('integrations.deliveries.status'),
            dataIndex: 'status',
            render: (status: Delivery['status']) => (
              <Badge
                status={status === 'succeeded' ? 'success' : status === 'dead' ? 'error' : 'processing'}
                text={t(`integrations.deliveries.${status}`)}
              />
            ),
          },
          { title: t('integrations.deliveries.attempts'), dataIndex: 'attempts' },
          {
            title: t('integrations.deliveries.response'),
            key: 'response',
            render: (_, d) =>
              d.lastStatusCode !== null
                ? `${d.lastStatusCode}${d.lastLatencyMs !== null ? ` · ${d.lastLatencyMs} ms` : ''}`
                : (d.lastError ?? '—'),
          },
          {
            title: '',
            key: 'redeliver',
            render: (_, d) => (
              <Button
                size="small"
                aria-label={`${t('integrations.deliveries.redeliver')} ${d.eventType} ${d.position}`}
                disabled={d.status === 'pending'}
                onClick={() => redeliver.mutate(d.deliveryId)}
              >
                {t('integrations.deliveries.redeliver')}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}

/** The log as a chart: deliveries per minute (or hour) by status, with its text alternative. */
function DeliveriesOverTime({ deliveries }: { deliveries: Delivery[] }) {
  const { t } = useTranslation();
  const buckets = useMemo(() => deliveriesOverTime(deliveries), [deliveries]);
  const chart = useMemo(() => {
    const times = buckets.map((bucket) => bucket.at);
    const series = (['succeeded', 'pending', 'dead'] as const).map((status) => ({
      name: t(`integrations.deliveries.${status}`),
      stack: 'deliveries',
      data: buckets.map((bucket) => bucket[status]),
      color: { succeeded: '#237804', pending: '#0958d9', dead: '#a8071a' }[status],
    }));
    return {
      option: countBars(times, series),
      label: countBarsLabel(
        t('integrations.deliveries.overTime'),
        times,
        series,
        (name, count) => `${count} ${name}`,
      ),
    };
  }, [buckets, t]);
  if (buckets.length === 0) return null;
  return <LazyChart {...chart} height={220} />;
}
