import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, List, Popover } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok, type Answer } from '../api/client';

/** The bell: the signed-in person's notifications (GET /notifications), their count on the badge. */
export function NotificationsBell() {
  const { t, i18n } = useTranslation();
  const notifications = useQuery({
    queryKey: ['notifications'],
    queryFn: () => ok<Answer<'/notifications'>>(api.GET('/notifications', { params: { query: {} } })),
  });
  const items = notifications.data?.items ?? [];
  return (
    <Popover
      trigger="click"
      title={t('notifications.title')}
      content={
        <List
          style={{ width: 360, maxHeight: 400, overflow: 'auto' }}
          size="small"
          dataSource={items}
          locale={{ emptyText: t('notifications.empty') }}
          renderItem={(item) => (
            <List.Item>
              <List.Item.Meta
                // The API words each notification in both languages; the reader's is shown.
                title={i18n.language.startsWith('zh') ? item.titleZh : item.titleEn}
                description={`${new Date(item.createdAt).toLocaleString()} · ${item.appraisalId} · ${item.stepKey}`}
              />
            </List.Item>
          )}
        />
      }
    >
      <Button type="text" aria-label={t('notifications.bell', { count: items.length })}>
        <Badge count={items.length} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18, color: '#fff' }} />
        </Badge>
      </Button>
    </Popover>
  );
}
