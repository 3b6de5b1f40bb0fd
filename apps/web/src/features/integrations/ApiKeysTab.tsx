import { Button, Card, Checkbox, Form, Input, Space, Tag } from 'antd';
import { useFeedback } from '../../app/feedback';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Answer } from '../../api/client';
import { useActionMutation, useFormMutation } from '../../app/forms';
import { CompactTable } from '../../app/ListTable';
import { keys, useApiKeys, type ApiKey } from './queries';
import { SecretOnce } from './SecretOnce';

const SCOPES = ['events:read', 'webhooks:manage', 'pii'];

export function ApiKeysTab() {
  const { t } = useTranslation();
  const { modal } = useFeedback();
  const client = useQueryClient();
  const apiKeys = useApiKeys();
  const [form] = Form.useForm<{ name: string; scopes: string[] }>();
  const [secret, setSecret] = useState<string | null>(null);
  const create = useFormMutation(form, {
    mutationFn: (body: { name: string; scopes: string[] }) =>
      ok<Answer<'/api-keys', 'post'>>(
        api.POST('/api-keys', { body: body as { name: string; scopes: ApiKey['scopes'] } }),
      ),
    onSuccess: (created) => {
      setSecret(created.key);
      form.resetFields();
      void client.invalidateQueries({ queryKey: keys.apiKeys });
    },
  });
  const revoke = useActionMutation({
    mutationFn: (keyId: string) => ok(api.DELETE('/api-keys/{keyId}', { params: { path: { keyId } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.apiKeys }),
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
        <CompactTable<ApiKey>
          rowKey="keyId"
          loading={apiKeys.isLoading}
          dataSource={apiKeys.data?.items ?? []}
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
