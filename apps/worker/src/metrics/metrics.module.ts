import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { CONFIG, Config } from '@verity/platform';

/** Serves prom-client's default registry at /metrics; other modules register their gauges there. */
@Injectable()
export class MetricsServer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  async onModuleInit(): Promise<void> {
    if (register.getSingleMetric('process_cpu_user_seconds_total') === undefined) collectDefaultMetrics();
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      register.metrics().then(
        (body) => res.writeHead(200, { 'content-type': register.contentType }).end(body),
        (error: Error) => res.writeHead(500).end(error.message),
      );
    });
    const server = this.server;
    const { WORKER_METRICS_HOST: host, WORKER_METRICS_PORT: port } = this.config;
    // Loopback by default: /metrics has no authentication (WORKER_METRICS_HOST opens it on purpose).
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    this.logger.log(`metrics on http://${host}:${this.address()?.port ?? port}/metrics`);
  }

  /** Where it listens (for the start log and the tests). */
  address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

@Module({ providers: [MetricsServer] })
export class MetricsModule {}
