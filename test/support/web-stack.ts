import { loadConfig, localSigning, signLocalToken } from '@verity/platform';
import { startStack, type Stack } from './stack';

/** Who calls the API in a journey's set-up: a role of the tenant, as a person of it or not. */
export interface Caller {
  role: string;
  employeeId?: string;
  /** An extra scope of the token (`pii` lets it read personal data). */
  scope?: string;
}

/** The claims of a token for the tenant, and the key that signs them. */
export type SignToken = (claims: Record<string, string>, subject: string) => Promise<string>;

export interface WebStackOptions {
  /** The API's port, when something started before it must know it (an identity provider's redirect). */
  port?: number;
  /** More of the apps' environment (a webhook allow-list, an identity provider). */
  env?: Record<string, string>;
  /** Signs the set-up's tokens; the development secret (HS256) unless the API trusts another key. */
  sign?: SignToken;
  /**
   * A refused write (409) is sent again, as a client should, when the worker's timers append to the
   * same appraisal streams meanwhile (a cycle whose deadlines have passed).
   */
  retryConflicts?: boolean;
}

export interface WebStack extends Stack {
  token: (who: Caller) => Promise<string>;
  call: <T = Record<string, unknown>>(method: string, url: string, who: Caller, body?: unknown) => Promise<T>;
}

/** Tokens signed with the development secret, as `npm run token` signs them, for the API's issuer and audience. */
function developmentSigner(env: Record<string, string> = {}): SignToken {
  const signing = localSigning(loadConfig({ ...process.env, ...env }));
  return (claims, subject) =>
    signLocalToken(signing, {
      tenant: claims.tenant,
      role: claims.role,
      subject,
      employeeId: claims.employee_id,
      scope: claims.scope,
      expiresIn: '1h',
    });
}

/**
 * The real API and worker for one browser journey file (startStack, connected as the database's
 * owner), and a client that calls the API as any person of the file's tenant.
 */
export async function startWebStack(tenant: string, options: WebStackOptions = {}): Promise<WebStack> {
  const stack = await startStack({ port: options.port, env: options.env, database: 'owner' });
  const { base } = stack;
  const sign = options.sign ?? developmentSigner(options.env);
  const token = (who: Caller) =>
    sign(
      {
        tenant,
        role: who.role,
        ...(who.employeeId ? { employee_id: who.employeeId } : {}),
        ...(who.scope ? { scope: who.scope } : {}),
      },
      who.employeeId ?? `${who.role}-1`,
    );
  async function call<T>(method: string, url: string, who: Caller, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${base}${url}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(who)}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status < 300) return (text ? JSON.parse(text) : {}) as T;
      if (!options.retryConflicts || response.status !== 409 || attempt === 8)
        throw new Error(`${method} ${url}: ${response.status} ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
  return { ...stack, token, call };
}
