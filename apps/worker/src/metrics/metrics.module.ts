import { createServer, Server } from 'node:http';
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
    await new Promise<void>((resolve) => server.listen(this.config.WORKER_METRICS_PORT, resolve));
    this.logger.log(`metrics on :${this.config.WORKER_METRICS_PORT}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

@Module({ providers: [MetricsServer] })
export class MetricsModule {}
