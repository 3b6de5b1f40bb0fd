import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../clock/clock';
import { OrgRelations } from '../directory/org-relations';
import { PinnedWorkflows } from '../workflows/pinned-workflows';
import { EventStoreCloser, eventStoreProvider, storedEventsProvider } from './event-store.provider';
import { StreamLoader } from './stream-loader';

/**
 * What both sides read: the event store, the clock, StreamLoader and two cached folds (a tenant's
 * org relations, published workflow versions). The write path (CommandsModule) and the read side
 * (QueriesModule, the read-* use cases) both import it, so no read depends on apps/api/src/commands.
 */
@Module({
  providers: [
    eventStoreProvider,
    storedEventsProvider,
    EventStoreCloser,
    { provide: CLOCK, useValue: systemClock },
    StreamLoader,
    OrgRelations,
    PinnedWorkflows,
  ],
  exports: [eventStoreProvider, storedEventsProvider, CLOCK, StreamLoader, OrgRelations, PinnedWorkflows],
})
export class EventStoreModule {}
