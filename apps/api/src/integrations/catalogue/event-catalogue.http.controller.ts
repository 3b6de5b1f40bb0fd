import { eventCatalogueWithVersions } from '@verity/integrations';
import { CatalogueResponse } from './event-catalogue.response';
import { ApiController, Route } from '../../openapi/route';

/**
 * The typed event catalogue: one JSON Schema per event type and version, generated from the
 * domain's zod schemas. Older versions are listed with `current: false`; the feed and webhooks
 * always carry the current one (old events are upcast on read).
 */
@ApiController('integrations', 'events/schemas')
export class EventCatalogueController {
  private readonly catalogue = eventCatalogueWithVersions();

  @Route('GET', '', { roles: [], answer: CatalogueResponse })
  list() {
    return { items: this.catalogue };
  }
}
