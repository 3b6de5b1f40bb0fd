import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { EventCatalogueController } from './catalogue/event-catalogue.http.controller';
import { EventsFeedController } from './feed/events-feed.http.controller';
import { integrationsProviders } from './integrations.providers';
import { WebhookSubscriptionsController } from './subscriptions/webhook-subscriptions.http.controller';

/** Integrators: webhook subscriptions and their delivery log, the pull feed (pages and SSE), the event catalogue. */
@Module({
  imports: [CommandsModule],
  // The catalogue before the feed, so `/events/schemas` is never read as a feed route.
  controllers: [EventCatalogueController, EventsFeedController, WebhookSubscriptionsController],
  providers: integrationsProviders,
})
export class IntegrationsModule {}
