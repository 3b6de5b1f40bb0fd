import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'pg';
import type IORedis from 'ioredis';
import { PG_POOL, REDIS } from '@verity/platform';
import { countParkedStreams, listParkedStreams, readConsumerLag } from '@verity/event-store';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: IORedis,
  ) {}

  /**
   * 200 when PostgreSQL and Redis both answer, 503 naming the one that does not. `projections`
   * reports each consumer's lag (events behind, age of the oldest in seconds); lag alone is not
   * a failure, since a rebuild is expected to be behind. `parked` counts the streams each consumer
   * holds back after an event it could not apply, and `parkedEvents` shows the oldest few with
   * their error (ids only: no stream names, which carry the tenant; docs/adr/0071).
   */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.probe('postgres', async () => void (await this.pool.query('SELECT 1'))),
      () => this.probe('redis', async () => void (await this.redis.ping())),
      () =>
        this.probe('projections', async () => {
          const [lags, parked] = await Promise.all([
            readConsumerLag(this.pool),
            countParkedStreams(this.pool),
          ]);
          // The details only when something is parked: the usual answer costs one small query more.
          const oldest = parked.size ? await listParkedStreams(this.pool, { limit: 5 }) : [];
          return {
            consumers: Object.fromEntries(
              lags.map((lag) => [
                lag.name,
                {
                  events: lag.events,
                  seconds: Math.round(lag.seconds * 1000) / 1000,
                  position: lag.position,
                  parked: parked.get(lag.name)?.streams ?? 0,
                },
              ]),
            ),
            parkedEvents: oldest.map((stream) => ({
              consumer: stream.consumer,
              eventId: stream.eventId,
              eventType: stream.eventType,
              error: stream.error.slice(0, 200),
              attempts: stream.attempts,
              held: stream.held,
              parkedAt: stream.parkedAt.toISOString(),
              nextAttemptAt: stream.nextAttemptAt.toISOString(),
            })),
          };
        }),
    ]);
  }

  private async probe(key: string, ping: () => Promise<void | Record<string, unknown>>) {
    const indicator = this.indicators.check(key);
    const started = process.hrtime.bigint();
    try {
      const details = await withTimeout(ping(), 2000);
      return indicator.up({ latencyMs: Number(process.hrtime.bigint() - started) / 1e6, ...(details ?? {}) });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}
