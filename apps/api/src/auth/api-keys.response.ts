import { z } from 'zod';
import { SCOPES } from './principal';
import { listOf, Timestamp } from '../openapi/answer-pieces';

const Scopes = z.array(z.enum(SCOPES));

/** A tenant's API keys as GET /api-keys lists them: never the secret, which is shown once at creation. */
export const ApiKeyListResponse = listOf(
  z.strictObject({
    keyId: z.string(),
    name: z.string(),
    scopes: Scopes,
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
  }),
);

/** A key just created: its secret `key`, shown this once. */
export const CreatedApiKeyResponse = z.strictObject({ keyId: z.string(), key: z.string(), scopes: Scopes });
