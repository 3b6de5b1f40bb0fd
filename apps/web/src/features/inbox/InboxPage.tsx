import { Alert, Card, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok, type Answer } from '../../api/client';
import { inboxLink } from './inbox-link';

type InboxItem = Answer<'/inbox'>['items'][number];

/** Overdue and escalated steps first, then by due time (the API orders by due time; a step with none comes last). */
export function orderInbox(items: InboxItem[]): InboxItem[] {
  const rank = (item: InboxItem) => (item.overdue ? 0 : item.escalationLevel > 0 ? 1 : 2);
  const due = (item: InboxItem) => item.dueAt ?? '\uffff';
  return [...items].sort((a, b) => rank(a) - rank(b) || due(a).localeCompare(due(b)));
}

export function InboxPage() {
  const { t } = useTranslation();
  const inbox = useQuery({
    queryKey: ['inbox'],
    queryFn: () => ok<Answer<'/inbox'>>(api.GET('/inbox', { params: { query: {} } })),
  });
  if (inbox.error) return <Alert type="error" message={t('common.error', { detail: inbox.error.message })} />;
  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('inbox.title')}
      </Typography.Title>
      <Table<InboxItem>
        rowKey={(item) => `${item.appraisalId}/${item.stepKey}`}
        loading={inbox.isLoading}
        size="small"
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        dataSource={orderInbox(inbox.data?.items ?? [])}
        locale={{ emptyText: t('inbox.empty') }}
        columns={[
          {
            title: t('inbox.step'),
            dataIndex: 'stepKey',
            render: (stepKey: string, item) => <Link to={inboxLink(item)}>{stepKey}</Link>,
          },
          { title: t('inbox.subject'), dataIndex: 'subjectEmployeeId' },
          {
            title: t('inbox.due'),
            dataIndex: 'dueAt',
            render: (dueAt: string | null) => (dueAt ? new Date(dueAt).toLocaleString() : '—'),
          },
          {
            title: t('common.status'),
            key: 'state',
            render: (_: unknown, item) => (
              <>
                {item.overdue && <Tag color="red">{t('inbox.overdue')}</Tag>}
                {item.escalationLevel > 0 && (
                  // antd's orange text is 3.3:1 on its tag: a darker orange of the same palette reads at 4.5:1 and more.
                  <Tag color="orange" style={{ color: '#873800' }}>
                    {t('inbox.escalated', { level: item.escalationLevel })}
                  </Tag>
                )}
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
