import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onUnauthorized, setBearer } from '../api/client';

export type Role = 'employee' | 'manager' | 'hr' | 'process-owner' | 'auditor' | 'integrator' | 'admin';

/** Where each role starts after signing in. */
export function homeOf(role: Role): string {
  if (role === 'employee') return '/app/my-appraisal';
  if (role === 'auditor') return '/app/audit';
  if (role === 'integrator' || role === 'admin') return '/app/integrations';
  return '/app/inbox';
}

export interface Session {
  token: string;
  tenant: string;
  role: Role;
  employeeId: string | null;
  name: string;
  /** The issuer that signed the token, when signed in through OpenID Connect (its token is renewed). */
  oidc?: { issuer: string; clientId: string };
}

interface SessionContext {
  session: Session | null;
  /** Why the last session ended without the person signing out: its token expired or was refused. */
  ended: 'expired' | null;
  signIn(session: Session): void;
  signOut(): void;
  /** Ends the session whose token no longer holds; the sign-in page then says so. */
  expire(): void;
}

const KEY = 'verity.session';
const Context = createContext<SessionContext | null>(null);

function stored(): Session | null {
  try {
    const value = sessionStorage.getItem(KEY);
    return value ? (JSON.parse(value) as Session) : null;
  } catch {
    return null;
  }
}

/** Who is signed in, kept in this tab's session storage (a reload keeps it, a new tab signs in again). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => {
    const initial = stored();
    setBearer(initial?.token ?? null);
    return initial;
  });
  const [ended, setEnded] = useState<'expired' | null>(null);
  const signIn = useCallback((next: Session) => {
    sessionStorage.setItem(KEY, JSON.stringify(next));
    setBearer(next.token);
    setSession(next);
    setEnded(null);
  }, []);
  const queries = useQueryClient();
  // Signing out forgets everything this tab holds for the person: the session, the issuer's tokens
  // (oidc-client-ts keeps them under `oidc.` keys) and every answer cached for them, so the next
  // person to sign in here sees nothing of theirs.
  const signOut = useCallback(() => {
    for (const key of Object.keys(sessionStorage))
      if (key === KEY || key.startsWith('oidc.')) sessionStorage.removeItem(key);
    setBearer(null);
    setSession(null);
    queries.clear();
  }, [queries]);
  const expire = useCallback(() => {
    signOut();
    setEnded('expired');
  }, [signOut]);
  // A token the API refuses (expired, not renewed) ends the session cleanly instead of failing every screen.
  useEffect(() => {
    onUnauthorized(expire);
    return () => onUnauthorized(null);
  }, [expire]);
  const value = useMemo(
    () => ({ session, ended, signIn, signOut, expire }),
    [session, ended, signIn, signOut, expire],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionContext {
  const context = useContext(Context);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}
