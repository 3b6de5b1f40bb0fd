import { BellOutlined, GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown, Layout, Menu, Space, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { LANGUAGES } from '../i18n';
import { useSession, type Role } from './session';
import { signOutAtIssuer } from '../features/sign-in/oidc';

// The bell's list and popover are not needed to show the screen: they load just after it.
const NotificationsBell = lazy(() =>
  import('./NotificationsBell').then((m) => ({ default: m.NotificationsBell })),
);

/** What each role may open: the layout shows nothing else. */
const MENUS: Partial<Record<Role, { key: string; label: string }[]>> = {
  // An employee's inbox holds the steps others' appraisals give them too (a peer's rating).
  employee: [
    { key: '/app/my-appraisal', label: 'nav.myAppraisal' },
    { key: '/app/days', label: 'nav.days' },
    { key: '/app/inbox', label: 'nav.inbox' },
  ],
  manager: [
    { key: '/app/inbox', label: 'nav.inbox' },
    { key: '/app/team', label: 'nav.team' },
    { key: '/app/my-appraisal', label: 'nav.myAppraisal' },
    { key: '/app/days', label: 'nav.days' },
  ],
  hr: [
    { key: '/app/inbox', label: 'nav.inbox' },
    { key: '/app/cycles', label: 'adminNav.cycles' },
    { key: '/app/directory', label: 'adminNav.directory' },
    { key: '/app/calibration', label: 'adminNav.calibration' },
    { key: '/app/red-lines', label: 'adminNav.redLines' },
    { key: '/app/sla', label: 'adminNav.sla' },
    { key: '/app/audit', label: 'adminNav.audit' },
  ],
  'process-owner': [
    { key: '/app/inbox', label: 'nav.inbox' },
    { key: '/app/workflows', label: 'adminNav.workflows' },
    { key: '/app/sla', label: 'adminNav.sla' },
    { key: '/app/audit', label: 'adminNav.audit' },
  ],
  auditor: [{ key: '/app/audit', label: 'adminNav.audit' }],
  integrator: [{ key: '/app/integrations', label: 'adminNav.integrations' }],
  admin: [
    { key: '/app/integrations', label: 'adminNav.integrations' },
    { key: '/app/audit', label: 'adminNav.audit' },
  ],
};

const LANGUAGE_NAMES = { 'zh-CN': '简体中文', en: 'English' } as const;

/** The language switch: a menu button (a select would bring a heavy component into every first load). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage === 'zh-CN' ? 'zh-CN' : 'en';
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [current],
        items: LANGUAGES.map((language) => ({ key: language, label: LANGUAGE_NAMES[language] })),
        onClick: ({ key }) => void i18n.changeLanguage(key),
      }}
    >
      <Button
        size="small"
        icon={<GlobalOutlined />}
        aria-label={`${t('app.language')}: ${LANGUAGE_NAMES[current]}`}
      >
        {LANGUAGE_NAMES[current]}
      </Button>
    </Dropdown>
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
          {canReadNotifications && (
            <Suspense
              fallback={
                <Button type="text" aria-label={t('notifications.title')}>
                  <BellOutlined style={{ fontSize: 18, color: '#fff' }} />
                </Button>
              }
            >
              <NotificationsBell />
            </Suspense>
          )}
          <LanguageSwitch />
          <Dropdown
            menu={{
              items: [{ key: 'sign-out', label: t('app.signOut') }],
              onClick: () => {
                void (async () => {
                  // Through an issuer, its session ends too and it sends the browser back to sign-in.
                  if (session.oidc && (await signOutAtIssuer(session.oidc, signOut))) return;
                  signOut();
                  navigate('/app/sign-in');
                })();
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
