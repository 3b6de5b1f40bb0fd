import { eventually } from '../support/eventually';
import { RunningApp, freePort, startApp } from '../support/processes';
import { workerRedisUrl, workerRuntimeDatabaseUrl } from '../support/environment';

describe('the API and the worker as real processes', () => {
  let api: RunningApp;
  let worker: RunningApp;

  afterAll(async () => {
    await Promise.all([api?.stop('SIGKILL'), worker?.stop('SIGKILL')]);
  });

  it('start, report healthy dependencies, and stop cleanly with exit code 0 on SIGTERM and SIGINT', async () => {
    const port = await freePort();
    const env = {
      // As the runtime role, as in production: it owns nothing and only appends to the log (docs/adr/0080).
      DATABASE_URL: workerRuntimeDatabaseUrl(),
      REDIS_URL: workerRedisUrl(),
      PORT: String(port),
      WORKER_METRICS_PORT: String(await freePort()),
    };
    api = startApp('api', env);
    worker = startApp('worker', env);

    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 120_000, 'API healthy');
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
      info: Record<string, { status: string }>;
    };
    expect(health.info.postgres.status).toBe('up');
    expect(health.info.redis.status).toBe('up');
    await eventually(async () => worker.output().includes('worker ready'), 120_000, 'worker ready');

    expect(await api.stop('SIGTERM')).toBe(0);
    expect(await worker.stop('SIGINT')).toBe(0);
    expect(worker.output()).toContain('stopped cleanly');
  }, 300_000);

  it('refuses to start on a wrong setting with one line naming the variable', async () => {
    const broken = startApp('api', { DATABASE_URL: 'not-a-url' });
    expect(await broken.exited).toBe(78);
    expect(broken.output().trim()).toBe(
      'Invalid configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://',
    );
  });
});
