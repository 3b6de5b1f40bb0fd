import { List } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Answer } from '../api/client';

type Notification = Answer<'/notifications'>['items'][number];

/**
 * The bell's list, in a module of its own: antd's List brings Pagination, Select and Spin (~30 KB
 * gzip), which the first screen does not need; it loads when the bell is first opened.
 */
export function NotificationsList({ items }: { items: Notification[] }) {
  const { t, i18n } = useTranslation();
  return (
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
  );
}
