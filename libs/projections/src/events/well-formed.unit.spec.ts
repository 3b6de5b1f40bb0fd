import type { RecordedEvent } from '@verity/event-store';
import { e7Hired } from '@verity/domain/testing/org-directory';
import { wellFormed } from './well-formed';

const hired = (pii: unknown): RecordedEvent => ({
  eventId: '0b0c1d2e-3f40-4152-8637-48596a7b8c9d',
  ...e7Hired(pii),
  metadata: {
    tenantId: 'demo',
    actor: { id: 'hr-1', role: 'hr' },
    correlationId: 'c',
    causationId: null,
    schemaVersion: 1,
  },
  streamId: 'directory-demo.demo',
  streamRevision: 3n,
  position: '4',
  recordedAt: new Date('2026-01-01T00:00:00.000Z'),
});

describe('wellFormed', () => {
  it('counts an event whose person was erased, and still refuses a broken one', () => {
    expect(wellFormed(hired({ name: 'Zhang San' }))).toBe(true);
    expect(wellFormed(hired({ erased: true }))).toBe(true);
    expect(wellFormed(hired({ nmae: 'typo' }))).toBe(false);
    expect(
      wellFormed({ ...hired({ erased: true }), data: { employeeId: 'e-7', pii: { erased: true } } }),
    ).toBe(false);
  });
});
