import type { Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@verity/platform';
import { WebhookDeliveriesRepository, WebhookSubscriptionsRepository } from '@verity/integrations';

/** The integrations repositories over the API's pool (plain classes from libs/integrations). */
export const integrationsProviders: Provider[] = [
  {
    provide: WebhookSubscriptionsRepository,
    inject: [PG_POOL],
    useFactory: (pool: Pool) => new WebhookSubscriptionsRepository(pool),
  },
  {
    provide: WebhookDeliveriesRepository,
    inject: [PG_POOL],
    useFactory: (pool: Pool) => new WebhookDeliveriesRepository(pool),
  },
];
