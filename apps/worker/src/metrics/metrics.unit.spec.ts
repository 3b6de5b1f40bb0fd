import { loadConfig } from '@verity/platform';
import { MetricsServer } from './metrics.module';

describe('the worker /metrics server', () => {
  const serve = async (env: Record<string, string>) => {
    const server = new MetricsServer(loadConfig({ WORKER_METRICS_PORT: '0', LOG_LEVEL: 'silent', ...env }));
    await server.onModuleInit();
    return server;
  };

  it('listens on loopback only unless told otherwise (it has no authentication)', async () => {
    const server = await serve({});
    try {
      expect(server.address()?.address).toBe('127.0.0.1');
      const response = await fetch(`http://127.0.0.1:${server.address()!.port}/metrics`);
      expect(response.status).toBe(200);
    } finally {
      await server.onApplicationShutdown();
    }
  });

  it('listens where WORKER_METRICS_HOST says', async () => {
    const server = await serve({ WORKER_METRICS_HOST: '0.0.0.0' });
    try {
      expect(server.address()?.address).toBe('0.0.0.0');
    } finally {
      await server.onApplicationShutdown();
    }
  });
});
