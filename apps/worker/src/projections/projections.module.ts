import { Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@verity/platform';
import { rowLevelSecurityProblems } from '@verity/projections';

/**
 * Projections in the worker. At start it checks that row-level security actually applies to the
 * app role (DESIGN.md pitfall). Consumer runners per projection are started here once
 * libs/event-store's ConsumerRunner lands.
 */
@Injectable()
export class ProjectionsService implements OnModuleInit {
  private readonly logger = new Logger(ProjectionsService.name);

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    for (const problem of await rowLevelSecurityProblems(this.pool))
      this.logger.error(`row-level security: ${problem}`);
  }
}

@Module({ providers: [ProjectionsService] })
export class ProjectionsModule {}
