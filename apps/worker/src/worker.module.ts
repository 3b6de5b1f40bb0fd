import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Config, loggerOptions, PlatformModule } from '@verity/platform';

@Module({})
export class WorkerModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config, 'verity-worker'),
        LoggerModule.forRoot({ pinoHttp: loggerOptions(config, 'worker') }),
      ],
    };
  }
}
