import { Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor';
import { CLOCK, systemClock } from './clock';
import { ExecuteDomainCommandHandler } from './execute-domain-command.handler';
import { OrgRelations } from './org-relations';
import { PinnedWorkflows } from './pinned-workflows';
import { eventStoreProvider, storedEventsProvider } from '../event-store/event-store.provider';
import { StreamLoader } from '../event-store/stream-loader';

/** The write path: the event store, the clock, the executor and the one CommandBus handler. */
@Module({
  providers: [
    eventStoreProvider,
    storedEventsProvider,
    { provide: CLOCK, useValue: systemClock },
    StreamLoader,
    CommandExecutor,
    OrgRelations,
    PinnedWorkflows,
    ExecuteDomainCommandHandler,
  ],
  exports: [
    eventStoreProvider,
    storedEventsProvider,
    CLOCK,
    StreamLoader,
    CommandExecutor,
    OrgRelations,
    PinnedWorkflows,
  ],
})
export class CommandsModule {}
