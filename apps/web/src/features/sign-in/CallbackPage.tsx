import { Alert, Skeleton } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { homeOf, useSession } from '../../app/session';
import { finishOidcSignIn, readSignInConfig } from './oidc';

/** Where the issuer sends the person back with a code: exchanged once, then the role's home screen. */
export function CallbackPage() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  // React's development double effect would exchange the single-use code twice.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    readSignInConfig()
      .then((config) => {
        if (!config.oidc) throw new Error(t('signIn.noIssuer'));
        return finishOidcSignIn(config.oidc);
      })
      .then((session) => {
        signIn(session);
        navigate(homeOf(session.role), { replace: true });
      })
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)));
  }, [navigate, signIn, t]);
  return (
    <main style={{ maxWidth: 600, margin: '32px auto', padding: 16 }}>
      {failure ? (
        <Alert type="error" showIcon message={t('signIn.failed', { detail: failure })} />
      ) : (
        <Skeleton active />
      )}
    </main>
  );
}
