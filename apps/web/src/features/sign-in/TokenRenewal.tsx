import { useEffect } from 'react';
import { useSession } from '../../app/session';
import { keepRenewing } from './oidc';

/**
 * Renews the issuer's access token before it expires, for as long as someone signed in through
 * OpenID Connect stays signed in (development sign-in tokens are not renewed); without a refresh
 * token, ends the session when the token expires. Renders nothing.
 */
export function TokenRenewal() {
  const { session, signIn, expire } = useSession();
  const issuer = session?.oidc?.issuer;
  const clientId = session?.oidc?.clientId;
  useEffect(() => {
    if (!issuer || !clientId) return;
    let stop: (() => void) | undefined;
    let stopped = false;
    void keepRenewing({ issuer, clientId }, signIn, expire).then((started) => {
      if (stopped) started();
      else stop = started;
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }, [issuer, clientId, signIn, expire]);
  return null;
}
