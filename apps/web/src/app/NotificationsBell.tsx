import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, List, Popover } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';

interface Notification {
  notificationId?: string;
  subject?: string;
  body?: string;
  text?: string;
  kind?: string;
  createdAt?: string;
}

/** The bell: the signed-in person's notifications (GET /notifications), their count on the badge. */
export function NotificationsBell() {
  const { t } = useTranslation();
  const notifications = useQuery({
    queryKey: ['notifications'],
    queryFn: () => ok<{ items: Notification[] }>(api.GET('/notifications', { params: { query: {} } })),
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
                title={item.subject ?? item.kind}
                description={`${item.createdAt ? new Date(item.createdAt).toLocaleString() : ''} ${item.body ?? item.text ?? ''}`}
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
