import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type IORedis from 'ioredis';
import type { Config } from './config';
import { createPool } from './database';
import { createRedis } from './redis';

export const CONFIG = Symbol('CONFIG');
export const PG_POOL = Symbol('PG_POOL');
export const REDIS = Symbol('REDIS');

/** Closes the pool and the Redis connection when the application shuts down. */
@Injectable()
class ConnectionCloser implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: IORedis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.redis.quit()]);
  }
}

/** The configuration, the PostgreSQL pool and the Redis connection, one of each per process. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: Config, applicationName: string): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: CONFIG, useValue: config },
        {
          provide: PG_POOL,
          useFactory: () => createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE, applicationName),
        },
        { provide: REDIS, useFactory: () => createRedis(config.REDIS_URL) },
        ConnectionCloser,
      ],
      exports: [CONFIG, PG_POOL, REDIS],
    };
  }
}
