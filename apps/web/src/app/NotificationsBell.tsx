import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Popover, Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok, type Answer } from '../api/client';

const NotificationsList = lazy(() =>
  import('./NotificationsList').then((m) => ({ default: m.NotificationsList })),
);

/** The bell: the signed-in person's notifications (GET /notifications), their count on the badge. */
export function NotificationsBell() {
  const { t } = useTranslation();
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
        <Suspense fallback={<Skeleton active paragraph={{ rows: 2 }} style={{ width: 360 }} />}>
          <NotificationsList items={items} />
        </Suspense>
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
