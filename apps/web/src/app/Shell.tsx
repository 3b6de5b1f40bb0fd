import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Dropdown, Layout, List, Menu, Popover, Select, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api, ok } from '../api/client';
import { LANGUAGES, type Language } from '../i18n';
import { useSession, type Role } from './session';

interface Notification {
  notificationId?: string;
  subject?: string;
  body?: string;
  text?: string;
  kind?: string;
  createdAt?: string;
}

/** What each role may open: the layout shows nothing else. */
const MENUS: Partial<Record<Role, { key: string; label: string }[]>> = {
  employee: [{ key: '/app/my-appraisal', label: 'nav.myAppraisal' }],
  manager: [
    { key: '/app/inbox', label: 'nav.inbox' },
    { key: '/app/team', label: 'nav.team' },
    { key: '/app/my-appraisal', label: 'nav.myAppraisal' },
  ],
  hr: [
    { key: '/app/inbox', label: 'nav.inbox' },
    { key: '/app/cycles', label: 'adminNav.cycles' },
    { key: '/app/directory', label: 'adminNav.directory' },
    { key: '/app/calibration', label: 'adminNav.calibration' },
    { key: '/app/audit', label: 'adminNav.audit' },
  ],
  'process-owner': [
    { key: '/app/inbox', label: 'nav.inbox' },
    { key: '/app/workflows', label: 'adminNav.workflows' },
    { key: '/app/audit', label: 'adminNav.audit' },
  ],
  auditor: [{ key: '/app/audit', label: 'adminNav.audit' }],
  integrator: [{ key: '/app/integrations', label: 'adminNav.integrations' }],
  admin: [
    { key: '/app/integrations', label: 'adminNav.integrations' },
    { key: '/app/audit', label: 'adminNav.audit' },
  ],
};

function NotificationsBell() {
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

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select<Language>
      aria-label={t('app.language')}
      size="small"
      value={i18n.resolvedLanguage === 'zh-CN' ? 'zh-CN' : 'en'}
      onChange={(language) => void i18n.changeLanguage(language)}
      options={LANGUAGES.map((language) => ({
        value: language,
        label: language === 'zh-CN' ? '简体中文' : 'English',
      }))}
      style={{ width: 110 }}
    />
  );
}

/** The frame of every signed-in screen: the role's menu, the bell, the language switch, who is signed in. */
export function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  if (!session) return null;
  const menu = (MENUS[session.role] ?? []).map((item) => ({ key: item.key, label: t(item.label) }));
  const canReadNotifications = ['employee', 'manager', 'hr', 'process-owner'].includes(session.role);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 18 }}>
          {t('app.name')}
        </Typography.Text>
        <nav aria-label={t('app.name')} style={{ flex: 1 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={[location.pathname]}
            items={menu}
            onClick={({ key }) => navigate(key)}
          />
        </nav>
        <Space>
          {canReadNotifications && <NotificationsBell />}
          <LanguageSwitch />
          <Dropdown
            menu={{
              items: [{ key: 'sign-out', label: t('app.signOut') }],
              onClick: () => {
                signOut();
                navigate('/app/sign-in');
              },
            }}
          >
            <Button size="small">
              {t('app.signedInAs', { name: session.name, role: t(`roles.${session.role}`) })}
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <main>{children}</main>
      </Layout.Content>
    </Layout>
  );
}
