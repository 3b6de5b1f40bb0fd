import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { notFound } from '../errors/problem';
import { jsonSchemaOf } from '../openapi/json-schema';
import { ValidBody } from '../validation/zod.pipe';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeyListResponse, CreatedApiKeyResponse } from './api-keys.response';
import { SCOPES, type Principal } from './principal';
import { CurrentPrincipal, Roles } from './roles.decorator';

export const CreateApiKeyRequest = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).max(SCOPES.length),
});

/** Integrators' API keys: created by an admin, shown once, stored hashed, revocable. */
@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysRepository) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ schema: jsonSchemaOf(CreatedApiKeyResponse) as never })
  async create(
    @CurrentPrincipal() principal: Principal,
    @ValidBody(CreateApiKeyRequest, { name: 'payroll export', scopes: ['events:read'] })
    body: z.output<typeof CreateApiKeyRequest>,
  ) {
    const created = await this.keys.create(principal.tenantId, body.name, body.scopes);
    return { keyId: created.keyId, key: created.key, scopes: body.scopes };
  }

  @Get()
  @Roles('admin')
  @ApiOkResponse({ schema: jsonSchemaOf(ApiKeyListResponse) as never })
  async list(@CurrentPrincipal() principal: Principal) {
    return { items: await this.keys.list(principal.tenantId) };
  }

  @Delete(':keyId')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the key is refused from now on' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('keyId') keyId: string): Promise<void> {
    if (!(await this.keys.revoke(principal.tenantId, keyId))) throw notFound('No such API key.');
  }
}
