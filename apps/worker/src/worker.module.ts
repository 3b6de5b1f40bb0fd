import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Config, loggerOptions, PlatformModule } from '@verity/platform';
import { MetricsModule } from './metrics/metrics.module';
import { ProjectionsModule } from './projections/projections.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { TimersModule } from './timers/timers.module';
import { AuditCheckpointsModule } from './audit/audit-checkpoints.service';
import { ProcessManagersModule } from './process-managers/process-managers.module';

@Module({})
export class WorkerModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config, 'verity-worker'),
        LoggerModule.forRoot({ pinoHttp: loggerOptions(config, 'worker') }),
        ...(config.WORKER_ONLY === 'process-managers'
          ? [ProcessManagersModule]
          : [
              MetricsModule,
              ProjectionsModule,
              WebhooksModule,
              TimersModule,
              AuditCheckpointsModule,
              ProcessManagersModule,
            ]),
      ],
    };
  }
}
