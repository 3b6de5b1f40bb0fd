import { loadConfig, jose } from '@verity/platform';
import { workerDatabaseUrl, workerRedisUrl } from './environment';
import { eventually } from './eventually';
import { freePort, startApp, type RunningApp } from './processes';

/** Who calls the API in a journey's set-up: a role of the tenant, as a person of it or not. */
export interface Caller {
  role: string;
  employeeId?: string;
}

/**
 * The real API and worker for one browser journey file, on free ports over the file's own database
 * and Redis, and a client that calls the API as any person of the file's tenant (tokens signed with
 * the development secret, as `npm run token` signs them).
 */
export async function startWebStack(tenant: string): Promise<{
  base: string;
  env: Record<string, string>;
  call: <T = Record<string, unknown>>(method: string, url: string, who: Caller, body?: unknown) => Promise<T>;
  stop: () => Promise<void>;
}> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: workerDatabaseUrl(),
    REDIS_URL: workerRedisUrl(),
    PORT: String(port),
    WORKER_METRICS_PORT: String(await freePort()),
  };
  const apps: RunningApp[] = [startApp('api', env), startApp('worker', env)];
  const [api, worker] = apps;
  await eventually(async () => (await fetch(`${base}/health`)).ok, 90_000, 'API healthy');
  await eventually(async () => worker.output().includes('worker ready'), 90_000, 'worker ready');
  const secret = new TextEncoder().encode(loadConfig().JWT_SECRET);
  const token = (who: Caller) =>
    new jose.SignJWT({ tenant, role: who.role, ...(who.employeeId ? { employee_id: who.employeeId } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(who.employeeId ?? `${who.role}-1`)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);
  async function call<T>(method: string, url: string, who: Caller, body?: unknown): Promise<T> {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(who)}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
  return {
    base,
    env,
    call,
    stop: async () => {
      await Promise.all([api.stop('SIGTERM'), worker.stop('SIGTERM')]);
    },
  };
}
