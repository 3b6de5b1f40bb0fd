/**
 * The one HTTP client of the API for scripts and tests: bearer tokens minted as `npm run token`
 * mints them (cached per caller), an API key instead where an integrator calls, JSON in and out,
 * and the API's rate limit answered by waiting. The demo seed builds its writes on it
 * (./steps.ts) and the end-to-end tests call the API through it (test/support/api-client.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { signLocalToken, type LocalSigning } from '@verity/platform';

export type Role = 'employee' | 'manager' | 'hr' | 'process-owner' | 'auditor' | 'integrator' | 'admin';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON as the API sent it
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Who calls: a bearer token, or an integrator's API key. */
export type Credential = string | { apiKey: string };

export interface TokenClaims {
  tenant: string;
  role: Role;
  employeeId?: string;
  sub?: string;
  scope?: string;
  ttl?: string;
}

/** A bearer token as `npm run token` mints it (HS256 with JWT_SECRET). */
export function mintToken(signing: LocalSigning, claims: TokenClaims): Promise<string> {
  return signLocalToken(signing, {
    tenant: claims.tenant,
    role: claims.role,
    subject: claims.sub ?? claims.employeeId ?? `${claims.role}-${claims.tenant}`,
    employeeId: claims.employeeId,
    scope: claims.scope,
    expiresIn: claims.ttl ?? '8h',
  });
}

export interface ApiClientOptions {
  baseUrl: string;
  /** JWT_SECRET and the issuer and audience, to mint the callers' tokens. */
  signing: LocalSigning;
  tenant: string;
  /** Stops every request (and every wait between retries) when aborted. */
  signal?: AbortSignal;
  userAgent?: string;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** Gives up on this one request after so long (the client's signal still applies). */
  timeoutMs?: number;
}

export class ApiClient {
  /** Requests sent, retries included. */
  requests = 0;
  readonly baseUrl: string;
  readonly tenant: string;
  readonly signal?: AbortSignal;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.tenant = options.tenant;
    this.signal = options.signal;
  }

  /** A token of this tenant, minted once per caller. */
  token(role: Role, employeeId?: string, sub?: string, scope?: string, ttl = '1h'): Promise<string> {
    const key = `${role}/${employeeId ?? ''}/${sub ?? ''}/${scope ?? ''}/${ttl}`;
    if (!this.tokens.has(key))
      this.tokens.set(
        key,
        mintToken(this.options.signing, { tenant: this.tenant, role, employeeId, sub, scope, ttl }),
      );
    return this.tokens.get(key)!;
  }

  /** One request; a body that is not JSON (e.g. an HTML error page) comes back as its text. */
  async send(
    method: string,
    path: string,
    credential: Credential,
    body?: unknown,
    options: SendOptions = {},
  ): Promise<Reply> {
    this.requests++;
    const signals = [
      ...(this.signal ? [this.signal] : []),
      ...(options.timeoutMs ? [AbortSignal.timeout(options.timeoutMs)] : []),
    ];
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      headers: {
        ...(typeof credential === 'string'
          ? { authorization: `Bearer ${credential}` }
          : { 'x-api-key': credential.apiKey }),
        ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // Over the API's rate limit for one credential: wait for the next second and send it again.
    if (response.status === 429) {
      await sleep(1_000, undefined, { signal: this.signal });
      return this.send(method, path, credential, body, options);
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text for the message
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }
}
