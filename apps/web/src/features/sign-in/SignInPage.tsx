import { Alert, Button, Card, Input, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ok, problemDetail, type Answer } from '../../api/client';
import { LanguageSwitch } from '../../app/Shell';
import { homeOf, useSession, type Role } from '../../app/session';
import { readSignInConfig, startOidcSignIn } from './oidc';

/** A person of the tenant and the roles they can sign in as (GET /dev/sign-in/people). */
type Person = Answer<'/dev/sign-in/people'>['people'][number];

/**
 * Signing in as the installation allows (GET /auth/config): through the organisation's OpenID
 * Connect issuer, and in development the demo's people with the roles each can take.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const config = useQuery({ queryKey: ['sign-in-config'], queryFn: readSignInConfig, staleTime: Infinity });
  const start = useMutation({ mutationFn: startOidcSignIn });
  const { ended } = useSession();
  if (config.isPending) return <Skeleton active />;
  const oidc = config.data?.oidc;
  // Without an answer, the development page says itself whether it is available.
  const dev = config.data?.devSignIn ?? true;
  return (
    <>
      {ended === 'expired' && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          message={t('signIn.ended')}
          style={{ maxWidth: 600, margin: '32px auto 0' }}
        />
      )}
      {oidc && (
        <SignInCard title={t('signIn.organisationTitle')} width={600}>
          <Space direction="vertical">
            {start.error && (
              <Alert type="error" showIcon message={t('signIn.failed', { detail: start.error.message })} />
            )}
            <Button type="primary" loading={start.isPending} onClick={() => start.mutate(oidc)}>
              {t('signIn.organisation')}
            </Button>
          </Space>
        </SignInCard>
      )}
      {dev && <DevSignIn />}
    </>
  );
}

/** Development sign-in: the demo's people with the roles each can take (the API refuses it in production). */
function DevSignIn() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [tenant, setTenant] = useState(() => new URLSearchParams(location.search).get('tenant') ?? 'demo');
  const people = useQuery({
    queryKey: ['dev-people', tenant],
    queryFn: () =>
      ok<Answer<'/dev/sign-in/people'>>(api.GET('/dev/sign-in/people', { params: { query: { tenant } } })),
  });
  const signInAs = useMutation({
    mutationFn: async ({ role, person }: { role: Role; person?: Person }) => {
      const { token } = await ok<Answer<'/dev/sign-in', 'post'>>(
        api.POST('/dev/sign-in', { body: { tenant, role, employeeId: person?.employeeId } }),
      );
      return { token, role, person };
    },
    onSuccess: ({ token, role, person }) => {
      signIn({
        token,
        tenant,
        role,
        employeeId: person?.employeeId ?? null,
        name: person?.name ?? t(`roles.${role}`),
      });
      navigate(homeOf(role));
    },
  });
  const failure = people.error ?? signInAs.error;
  return (
    <SignInCard title={t('signIn.title')} width={980}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph>{t('signIn.intro')}</Typography.Paragraph>
        <label>
          {t('signIn.tenant')}{' '}
          <Input value={tenant} onChange={(event) => setTenant(event.target.value)} style={{ width: 200 }} />
        </label>
        {failure && (
          <Alert
            type="error"
            showIcon
            message={t('signIn.unavailable', {
              detail: problemDetail(failure),
            })}
          />
        )}
        <Table<Person>
          rowKey="employeeId"
          size="small"
          loading={people.isLoading}
          dataSource={people.data?.people ?? []}
          pagination={{ pageSize: 12 }}
          columns={[
            {
              title: t('signIn.person'),
              dataIndex: 'name',
              render: (name: string, p) => (
                <span>
                  {name} <Tag>{p.employeeId}</Tag>
                </span>
              ),
            },
            { title: t('signIn.position'), dataIndex: 'position' },
            { title: t('signIn.unit'), dataIndex: 'orgUnitId' },
            {
              title: '',
              key: 'roles',
              render: (_, person) => (
                <Space wrap>
                  {person.roles.map((role) => (
                    <Button
                      key={role}
                      size="small"
                      type={role === 'employee' ? 'default' : 'primary'}
                      aria-label={`${t('signIn.as', { role: t(`roles.${role}`) })}: ${person.name}`}
                      onClick={() => signInAs.mutate({ role, person })}
                    >
                      {t(`roles.${role}`)}
                    </Button>
                  ))}
                </Space>
              ),
            },
          ]}
        />
        <Space>
          {(people.data?.otherRoles ?? []).map((role) => (
            <Button key={role} onClick={() => signInAs.mutate({ role })}>
              {t('signIn.as', { role: t(`roles.${role}`) })}
            </Button>
          ))}
        </Space>
      </Space>
    </SignInCard>
  );
}

/** A way to sign in: one card under the page's heading, with the language switch beside it. */
function SignInCard({ title, width, children }: { title: string; width: number; children: ReactNode }) {
  return (
    <main style={{ maxWidth: width, margin: '32px auto', padding: 16 }}>
      <Card
        title={
          <Typography.Title level={1} style={{ margin: 0, fontSize: 22 }}>
            {title}
          </Typography.Title>
        }
        extra={<LanguageSwitch />}
      >
        {children}
      </Card>
    </main>
  );
}
