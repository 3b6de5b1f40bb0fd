import { Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor';
import { ExecuteDomainCommandHandler } from './execute-domain-command.handler';
import { EventStoreModule } from '../event-store/event-store.module';

/**
 * The write path: the executor and the one CommandBus handler, on top of what both sides share
 * (EventStoreModule, re-exported so a feature module importing this one sees the store and the clock).
 */
@Module({
  imports: [EventStoreModule],
  providers: [CommandExecutor, ExecuteDomainCommandHandler],
  exports: [EventStoreModule, CommandExecutor],
})
export class CommandsModule {}
