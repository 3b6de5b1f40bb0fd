import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Collapse,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { showProblem } from '../../app/forms';
import { LazyChart } from '../../app/LazyChart';
import { useSession } from '../../app/session';
import { deliveriesOverTime } from './deliveries-over-time';
import {
  keys,
  useApiKeys,
  useCatalogue,
  useDeliveries,
  useSubscriptions,
  type ApiKey,
  type CatalogueEntry,
  type Delivery,
  type Subscription,
} from './queries';

/** The integrator's and admin's screen: webhooks and their deliveries, the event catalogue, API keys. */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('integrations.title')}
      </Typography.Title>
      <Tabs
        items={[
          { key: 'webhooks', label: t('integrations.webhooks.tab'), children: <WebhooksTab /> },
          { key: 'catalogue', label: t('integrations.catalogue.tab'), children: <CatalogueTab /> },
          // API keys are the admin's (the API refuses the integrator): the tab is not offered to others.
          ...(session?.role === 'admin'
            ? [{ key: 'keys', label: t('integrations.apiKeys.tab'), children: <ApiKeysTab /> }]
            : []),
        ]}
      />
    </Space>
  );
}

/** A secret the API shows once: in a dialog the person closes once they have copied it. */
function SecretOnce({
  title,
  secret,
  onClose,
}: {
  title: string;
  secret: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={secret !== null}
      title={title}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
    >
      <Alert type="warning" showIcon message={t('integrations.secretOnce')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph copyable code data-testid="secret-once">
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}

function WebhooksTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const subscriptions = useSubscriptions();
  const catalogue = useCatalogue();
  const [form] = Form.useForm<{ url: string; eventTypes: string[]; includePii: boolean }>();
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: { url: string; eventTypes: string[]; includePii: boolean }) =>
      ok<Subscription & { secret: string }>(api.POST('/webhooks/subscriptions', { body })),
    onSuccess: (created) => {
      setSecret(created.secret);
      setOpen(created.subscriptionId);
      form.resetFields();
      void client.invalidateQueries({ queryKey: keys.subscriptions });
    },
    onError: (error) => showProblem(form, error, t, (text) => void message.error(text)),
  });
  const test = useMutation({
    mutationFn: (subscriptionId: string) =>
      ok<{ delivered: boolean }>(
        api.POST('/webhooks/subscriptions/{subscriptionId}/test', {
          params: { path: { subscriptionId } },
          body: {},
        }),
      ),
    onSuccess: ({ delivered }) =>
      delivered
        ? void message.success(t('integrations.webhooks.testDelivered'))
        : void message.error(t('integrations.webhooks.testRefused')),
    onError: (error) => void message.error(error.message),
  });
  const setStatus = useMutation({
    mutationFn: ({ subscriptionId, status }: { subscriptionId: string; status: 'active' | 'paused' }) =>
      ok<Subscription>(
        api.PATCH('/webhooks/subscriptions/{subscriptionId}', {
          params: { path: { subscriptionId } },
          body: { status },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.subscriptions }),
    onError: (error) => void message.error(error.message),
  });
  const types = (catalogue.data?.items ?? []).filter((entry) => entry.current).map((entry) => entry.type);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('integrations.webhooks.create')}>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ eventTypes: [], includePii: false }}
          onFinish={(values) => create.mutate(values)}
        >
          <Form.Item
            name="url"
            label={t('integrations.webhooks.url')}
            rules={[{ required: true, message: t('integrations.webhooks.urlRequired') }]}
          >
            <Input placeholder="https://hooks.example.com/verity" />
          </Form.Item>
          <Form.Item
            name="eventTypes"
            label={t('integrations.webhooks.eventTypes')}
            extra={t('integrations.webhooks.allTypes')}
          >
            <Select
              mode="multiple"
              allowClear
              options={types.map((type) => ({ value: type, label: type }))}
            />
          </Form.Item>
          <Form.Item name="includePii" valuePropName="checked">
            <Checkbox>{t('integrations.webhooks.includePii')}</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('integrations.webhooks.subscribe')}
          </Button>
        </Form>
      </Card>
      <SecretOnce
        title={t('integrations.webhooks.secretTitle')}
        secret={secret}
        onClose={() => setSecret(null)}
      />
      <Card title={t('integrations.webhooks.list')}>
        <Table<Subscription>
          rowKey="subscriptionId"
          size="small"
          loading={subscriptions.isLoading}
          dataSource={subscriptions.data?.items ?? []}
          pagination={false}
          expandable={{
            expandedRowKeys: open ? [open] : [],
            onExpand: (expanded, record) => setOpen(expanded ? record.subscriptionId : null),
            expandedRowRender: (record) => <DeliveryLog subscriptionId={record.subscriptionId} />,
          }}
          columns={[
            { title: t('integrations.webhooks.url'), dataIndex: 'url' },
            {
              title: t('integrations.webhooks.eventTypes'),
              dataIndex: 'eventTypes',
              render: (types: string[]) =>
                types.length ? types.join(', ') : t('integrations.webhooks.every'),
            },
            {
              title: t('integrations.webhooks.status'),
              dataIndex: 'status',
              render: (status: string, record) => (
                <Space direction="vertical" size={0}>
                  <Badge
                    status={status === 'active' ? 'success' : 'warning'}
                    text={t(`integrations.webhooks.${status}`)}
                  />
                  {record.pausedReason && (
                    <Typography.Text type="secondary">{record.pausedReason}</Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: '',
              key: 'actions',
              render: (_, record) => (
                <Space wrap>
                  <Button size="small" onClick={() => test.mutate(record.subscriptionId)}>
                    {t('integrations.webhooks.test')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() =>
                      setStatus.mutate({
                        subscriptionId: record.subscriptionId,
                        status: record.status === 'active' ? 'paused' : 'active',
                      })
                    }
                  >
                    {record.status === 'active'
                      ? t('integrations.webhooks.pause')
                      : t('integrations.webhooks.resume')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** The delivery log of one subscription, newest first, with redeliver and replay from a position. */
function DeliveryLog({ subscriptionId }: { subscriptionId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const deliveries = useDeliveries(subscriptionId);
  const [after, setAfter] = useState('0');
  const refresh = () => void client.invalidateQueries({ queryKey: keys.deliveries(subscriptionId) });
  const redeliver = useMutation({
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
    onError: (error) => void message.error(error.message),
  });
  const replay = useMutation({
    mutationFn: () =>
      ok<{ scheduled: number; complete: boolean }>(
        api.POST('/webhooks/subscriptions/{subscriptionId}/replay', {
          params: { path: { subscriptionId } },
          body: { after },
        }),
      ),
    onSuccess: ({ scheduled }) => {
      void message.success(t('integrations.deliveries.replayed', { count: scheduled }));
      refresh();
    },
    onError: (error) => void message.error(error.message),
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
      <Table<Delivery>
        aria-label={t('integrations.deliveries.title')}
        rowKey="deliveryId"
        size="small"
        loading={deliveries.isLoading}
        dataSource={deliveries.data?.items ?? []}
        pagination={{ pageSize: 10 }}
        // The table's own grey placeholder falls under AA contrast.
        locale={{ emptyText: <Typography.Text>{t('integrations.deliveries.empty')}</Typography.Text> }}
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
  const statuses = ['succeeded', 'pending', 'dead'] as const;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 40, right: 16, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: buckets.map((bucket) => bucket.at) },
      yAxis: { type: 'value', minInterval: 1 },
      series: statuses.map((status) => ({
        name: t(`integrations.deliveries.${status}`),
        type: 'bar',
        stack: 'deliveries',
        data: buckets.map((bucket) => bucket[status]),
        color: { succeeded: '#237804', pending: '#0958d9', dead: '#a8071a' }[status],
      })),
    }),
    [buckets, t],
  );
  if (buckets.length === 0) return null;
  const label = `${t('integrations.deliveries.overTime')}: ${buckets
    .map(
      (bucket) =>
        `${bucket.at}: ${statuses.map((status) => `${bucket[status]} ${t(`integrations.deliveries.${status}`)}`).join(', ')}`,
    )
    .join('; ')}`;
  return <LazyChart option={option} label={label} height={220} />;
}

function CatalogueTab() {
  const { t } = useTranslation();
  const catalogue = useCatalogue();
  const [filter, setFilter] = useState('');
  const items = (catalogue.data?.items ?? []).filter((entry) =>
    entry.type.toLowerCase().includes(filter.toLowerCase()),
  );
  return (
    <Card title={t('integrations.catalogue.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.Search
          aria-label={t('integrations.catalogue.filter')}
          placeholder={t('integrations.catalogue.filter')}
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          style={{ maxWidth: 360 }}
        />
        <Collapse
          items={items.map((entry: CatalogueEntry) => ({
            key: `${entry.type}.v${entry.version}`,
            label: (
              <Space>
                <Typography.Text strong>{entry.type}</Typography.Text>
                <Tag>v{entry.version}</Tag>
                {!entry.current && <Tag>{t('integrations.catalogue.older')}</Tag>}
                <Typography.Text type="secondary">{entry.cloudEventType}</Typography.Text>
              </Space>
            ),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Text strong>{t('integrations.catalogue.schema')}</Typography.Text>
                <pre
                  tabIndex={0}
                  style={{ maxHeight: 320, overflow: 'auto', background: '#f5f5f5', padding: 8 }}
                >
                  {JSON.stringify(entry.schema, null, 2)}
                </pre>
                <Typography.Text strong>{t('integrations.catalogue.sample')}</Typography.Text>
                <pre
                  tabIndex={0}
                  style={{ maxHeight: 240, overflow: 'auto', background: '#f5f5f5', padding: 8 }}
                >
                  {JSON.stringify(sampleEnvelope(entry), null, 2)}
                </pre>
              </Space>
            ),
          }))}
        />
      </Space>
    </Card>
  );
}

/** A CloudEvent as deliveries carry it, its data built from the schema's own shape. */
function sampleEnvelope(entry: CatalogueEntry) {
  return {
    specversion: '1.0',
    id: '0190c0de-0000-7000-8000-000000000000',
    source: 'verity/tenants/demo',
    type: entry.cloudEventType,
    subject: `${entry.aggregate ?? 'stream'}/…`,
    time: '2026-07-01T08:00:00.000Z',
    datacontenttype: 'application/json',
    data: sampleOf(entry.schema, 0),
  };
}

function sampleOf(schema: unknown, depth: number): unknown {
  if (!schema || typeof schema !== 'object' || depth > 6) return null;
  const s = schema as {
    type?: string | string[];
    properties?: Record<string, unknown>;
    items?: unknown;
    enum?: unknown[];
    const?: unknown;
    anyOf?: unknown[];
    oneOf?: unknown[];
    format?: string;
  };
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const union = s.anyOf ?? s.oneOf;
  if (union?.length) return sampleOf(union[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((candidate) => candidate !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([name, value]) => [name, sampleOf(value, depth + 1)]),
      );
    case 'array':
      return s.items ? [sampleOf(s.items, depth + 1)] : [];
    case 'string':
      return s.format === 'date-time' ? '2026-07-01T08:00:00.000Z' : s.format === 'date' ? '2026-07-01' : '…';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

const SCOPES = ['events:read', 'webhooks:manage', 'pii'];

function ApiKeysTab() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const apiKeys = useApiKeys();
  const [form] = Form.useForm<{ name: string; scopes: string[] }>();
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: { name: string; scopes: string[] }) =>
      ok<{ keyId: string; key: string }>(
        api.POST('/api-keys', {
          body: body as { name: string; scopes: ('events:read' | 'webhooks:manage' | 'pii')[] },
        }),
      ),
    onSuccess: (created) => {
      setSecret(created.key);
      form.resetFields();
      void client.invalidateQueries({ queryKey: keys.apiKeys });
    },
    onError: (error) => showProblem(form, error, t, (text) => void message.error(text)),
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => ok(api.DELETE('/api-keys/{keyId}', { params: { path: { keyId } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.apiKeys }),
    onError: (error) => void message.error(error.message),
  });
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('integrations.apiKeys.create')}>
        <Form
          form={form}
          layout="inline"
          initialValues={{ scopes: ['events:read'] }}
          onFinish={(v) => create.mutate(v)}
        >
          <Form.Item
            name="name"
            label={t('integrations.apiKeys.name')}
            rules={[{ required: true, message: t('integrations.apiKeys.nameRequired') }]}
          >
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="scopes" label={t('integrations.apiKeys.scopes')}>
            <Checkbox.Group options={SCOPES.map((scope) => ({ value: scope, label: scope }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('integrations.apiKeys.createButton')}
          </Button>
        </Form>
      </Card>
      <SecretOnce
        title={t('integrations.apiKeys.secretTitle')}
        secret={secret}
        onClose={() => setSecret(null)}
      />
      <Card title={t('integrations.apiKeys.list')}>
        <Table<ApiKey>
          rowKey="keyId"
          size="small"
          loading={apiKeys.isLoading}
          dataSource={apiKeys.data?.items ?? []}
          pagination={false}
          columns={[
            { title: t('integrations.apiKeys.name'), dataIndex: 'name' },
            { title: 'ID', dataIndex: 'keyId' },
            {
              title: t('integrations.apiKeys.scopes'),
              dataIndex: 'scopes',
              render: (scopes: string[]) => scopes.map((scope) => <Tag key={scope}>{scope}</Tag>),
            },
            {
              title: t('integrations.apiKeys.created'),
              dataIndex: 'createdAt',
              render: (at: string) => new Date(at).toLocaleString(),
            },
            {
              title: '',
              key: 'revoke',
              render: (_, record) =>
                record.revokedAt ? (
                  <Tag>{t('integrations.apiKeys.revoked')}</Tag>
                ) : (
                  <Button
                    size="small"
                    danger
                    aria-label={`${t('integrations.apiKeys.revoke')} ${record.name}`}
                    onClick={() =>
                      modal.confirm({
                        title: t('integrations.apiKeys.confirmRevoke', { name: record.name }),
                        onOk: () => revoke.mutateAsync(record.keyId),
                      })
                    }
                  >
                    {t('integrations.apiKeys.revoke')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
