import { loadConfig, localSigning } from '@verity/platform';
import {
  ApiClient,
  type Credential,
  type Reply,
  type Role,
  type SendOptions,
} from '../../infra/scripts/seed-demo/client';

export type { Reply, Role };

/** Who calls in a test: a person or a role of the tenant (a token is minted), or an API key. */
export type Caller = { role: Role; employeeId?: string } | { apiKey: string };

/**
 * The end-to-end tests' client of a running API: the demo seed's client (the same tokens, the
 * same requests) with the caller named as a test names it, and commands that must succeed.
 */
export class TestApiClient {
  readonly client: ApiClient;

  /** `context` adds to a failed command's message, e.g. the API process's last output. */
  constructor(
    baseUrl: string,
    tenant: string,
    private readonly context: () => string = () => '',
  ) {
    this.client = new ApiClient({ baseUrl, tenant, signing: localSigning(loadConfig()) });
  }

  /** A bearer token; a caller without an employee id acts as `<role>-1`. */
  token(role: Role, employeeId?: string): Promise<string> {
    return this.client.token(role, employeeId, employeeId ? undefined : `${role}-1`);
  }

  async credential(who: Caller): Promise<Credential> {
    return 'apiKey' in who ? { apiKey: who.apiKey } : this.token(who.role, who.employeeId);
  }

  /** Any answer, as it came; an empty body reads as `{}`. */
  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    who: Caller,
    body?: unknown,
    options?: SendOptions,
  ): Promise<Reply<T>> {
    const reply = await this.client.send(method, path, await this.credential(who), body, options);
    return { ...reply, body: reply.body ?? {} };
  }

  /**
   * A command that must succeed. The worker appends timer outcomes to the same streams meanwhile,
   * so a 409 (someone wrote first) is answered as a client should: send it again.
   */
  async command<T = Record<string, unknown>>(path: string, who: Caller, body: unknown = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const reply = await this.call<T>('POST', path, who, body);
      if (reply.status < 300) return reply.body;
      if (reply.status !== 409 || attempt === 8)
        throw new Error(`POST ${path}: ${reply.status} ${JSON.stringify(reply.body)} ${this.context()}`);
      // A client's back-off between retries of a lost race, not a wait for something to happen.
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }

  /** A read that must answer 200. */
  async get<T = Record<string, unknown>>(path: string, who: Caller): Promise<T> {
    const reply = await this.call<T>('GET', path, who);
    if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
}
