import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Config, loggerOptions, PlatformModule } from '@verity/platform';
import { HealthModule } from './health/health.module';
import { ApiCoreModule } from './api-core.module';
import { DirectoryModule } from './directory/directory.module';
import { WorkflowsModule } from './workflows/workflows.module';
import { CyclesModule } from './cycles/cycles.module';
import { AppraisalsModule } from './appraisals/appraisals.module';
import { ActualsModule } from './actuals/actuals.module';
import { WeeklyPlansModule } from './weekly-plans/weekly-plans.module';
import { DailyPlansModule } from './daily-plans/daily-plans.module';
import { ReportsModule } from './reports/reports.module';
import { QueriesModule } from './queries/queries.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { DevSignInModule } from './dev-sign-in/dev-sign-in.module';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, 'verity-api'),
        // The Nest logger only: each answered request is logged by the HTTP platform's own hook
        // (request-log.ts, docs/adr/0168), not by pino-http as a middleware on every route.
        LoggerModule.forRoot({ pinoHttp: loggerOptions(config, 'api'), forRoutes: [] }),
        HealthModule,
        ApiCoreModule,
        DirectoryModule,
        WorkflowsModule,
        CyclesModule,
        AppraisalsModule,
        ActualsModule,
        WeeklyPlansModule,
        DailyPlansModule,
        ReportsModule,
        QueriesModule,
        IntegrationsModule,
        DevSignInModule,
      ],
    };
  }
}
