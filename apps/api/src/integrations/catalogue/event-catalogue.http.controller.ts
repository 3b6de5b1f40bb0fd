import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { eventCatalogueWithVersions } from '@verity/integrations';
import { Roles } from '../../auth/roles.decorator';
import { jsonSchemaOf } from '../../openapi/json-schema';
import { CatalogueResponse } from './event-catalogue.response';

/**
 * The typed event catalogue: one JSON Schema per event type and version, generated from the
 * domain's zod schemas. Older versions are listed with `current: false`; the feed and webhooks
 * always carry the current one (old events are upcast on read).
 */
@ApiTags('integrations')
@Controller('events/schemas')
export class EventCatalogueController {
  private readonly catalogue = eventCatalogueWithVersions();

  @Get()
  @Roles()
  @ApiOkResponse({ schema: jsonSchemaOf(CatalogueResponse) as never })
  list() {
    return { items: this.catalogue };
  }
}
