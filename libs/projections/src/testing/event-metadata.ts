import type { RecordedEvent } from '@verity/event-store';

/** The metadata of a test event whose who and why do not matter: tenant `t`, HR user `u`, no causation. */
export const testMetadata = (): RecordedEvent['metadata'] => ({
  tenantId: 't',
  actor: { id: 'u', role: 'hr' },
  correlationId: 'c',
  causationId: null,
  schemaVersion: 1,
});
