import { Param } from '@nestjs/common';
import { z } from 'zod';
import { notFound } from '../errors/problem';
import { ValidBody } from '../validation/zod.pipe';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeyListResponse, CreatedApiKeyResponse } from './api-keys.response';
import { SCOPES, type Principal } from './principal';
import { CurrentPrincipal } from './roles.decorator';
import { ApiController, Route } from '../openapi/route';

export const CreateApiKeyRequest = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).max(SCOPES.length),
});

/** Integrators' API keys: created by an admin, shown once, stored hashed, revocable. */
@ApiController('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysRepository) {}

  @Route('POST', '', { roles: ['admin'], answer: CreatedApiKeyResponse })
  async create(
    @CurrentPrincipal() principal: Principal,
    @ValidBody(CreateApiKeyRequest, { name: 'payroll export', scopes: ['events:read'] })
    body: z.output<typeof CreateApiKeyRequest>,
  ) {
    const created = await this.keys.create(principal.tenantId, body.name, body.scopes);
    return { keyId: created.keyId, key: created.key, scopes: body.scopes };
  }

  @Route('GET', '', { roles: ['admin'], answer: ApiKeyListResponse })
  async list(@CurrentPrincipal() principal: Principal) {
    return { items: await this.keys.list(principal.tenantId) };
  }

  @Route('DELETE', ':keyId', {
    roles: ['admin'],
    answerDescription: 'Revoked: the key is refused from now on',
    status: 204,
  })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('keyId') keyId: string): Promise<void> {
    if (!(await this.keys.revoke(principal.tenantId, keyId))) throw notFound('No such API key.');
  }
}
