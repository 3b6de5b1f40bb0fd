import type { Provider } from '@nestjs/common';
import { CONFIG, type Config } from '@verity/platform';
import { CheckpointSigner } from '@verity/projections';

export const AUDIT_SIGNER = Symbol('AUDIT_SIGNER');

/** The checkpoint signer, from configuration only (the key never reaches the database). */
export const auditSignerProvider: Provider = {
  provide: AUDIT_SIGNER,
  inject: [CONFIG],
  useFactory: (config: Config) =>
    new CheckpointSigner(config.AUDIT_SIGNING_KEY, config.AUDIT_RETIRED_PUBLIC_KEYS),
};
