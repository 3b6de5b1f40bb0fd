import { useEffect } from 'react';
import { useSession } from '../../app/session';
import { keepRenewing } from './oidc';

/**
 * Renews the issuer's access token before it expires, for as long as someone signed in through
 * OpenID Connect stays signed in (development sign-in tokens are not renewed). Renders nothing.
 */
export function TokenRenewal() {
  const { session, signIn } = useSession();
  const issuer = session?.oidc?.issuer;
  const clientId = session?.oidc?.clientId;
  useEffect(() => {
    if (!issuer || !clientId) return;
    let stop: (() => void) | undefined;
    let stopped = false;
    void keepRenewing({ issuer, clientId }, signIn).then((started) => {
      if (stopped) started();
      else stop = started;
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }, [issuer, clientId, signIn]);
  return null;
}
