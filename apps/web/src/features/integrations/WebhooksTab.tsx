import { Badge, Button, Card, Checkbox, Form, Input, Select, Space, Typography } from 'antd';
import { useFeedback } from '../../app/feedback';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { useActionMutation, useFormMutation } from '../../app/forms';
import { CompactTable } from '../../app/ListTable';
import { keys, useCatalogue, useSubscriptions, type Subscription } from './queries';
import { SecretOnce } from './SecretOnce';
import { DeliveryLog } from './DeliveryLog';

export function WebhooksTab() {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const client = useQueryClient();
  const subscriptions = useSubscriptions();
  const catalogue = useCatalogue();
  const [form] = Form.useForm<{ url: string; eventTypes: string[]; includePii: boolean }>();
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const create = useFormMutation(form, {
    mutationFn: (body: { url: string; eventTypes: string[]; includePii: boolean }) =>
      ok(api.POST('/webhooks/subscriptions', { body })),
    onSuccess: (created) => {
      setSecret(created.secret);
      setOpen(created.subscriptionId);
      form.resetFields();
      void client.invalidateQueries({ queryKey: keys.subscriptions });
    },
  });
  const test = useActionMutation({
    mutationFn: (subscriptionId: string) =>
      ok(
        api.POST('/webhooks/subscriptions/{subscriptionId}/test', {
          params: { path: { subscriptionId } },
          body: {},
        }),
      ),
    onSuccess: ({ delivered }) =>
      delivered
        ? void message.success(t('integrations.webhooks.testDelivered'))
        : void message.error(t('integrations.webhooks.testRefused')),
  });
  const setStatus = useActionMutation({
    mutationFn: ({ subscriptionId, status }: { subscriptionId: string; status: 'active' | 'paused' }) =>
      ok(
        api.PATCH('/webhooks/subscriptions/{subscriptionId}', {
          params: { path: { subscriptionId } },
          body: { status },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.subscriptions }),
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
        <CompactTable<Subscription>
          rowKey="subscriptionId"
          loading={subscriptions.isLoading}
          dataSource={subscriptions.data?.items ?? []}
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
