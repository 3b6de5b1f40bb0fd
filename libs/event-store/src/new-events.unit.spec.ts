import { toNewEvents, type Recording } from './new-events';

const recording: Recording = {
  tenantId: 't1',
  actor: { id: 'timers', role: 'system' },
  correlationId: 'corr-1',
  causationId: 'cause-1',
  eventIdOf: (index) => `id-${index}`,
  schemaVersionOf: (type) => (type === 'B' ? 2 : 1),
};

describe('toNewEvents', () => {
  it('records every decided event with the same metadata and its own schema version', () => {
    expect(
      toNewEvents(
        [
          { type: 'A', data: { x: 1 } },
          { type: 'B', data: {} },
        ],
        recording,
      ),
    ).toEqual([
      {
        eventId: 'id-0',
        type: 'A',
        data: { x: 1 },
        metadata: {
          tenantId: 't1',
          actor: recording.actor,
          correlationId: 'corr-1',
          causationId: 'cause-1',
          schemaVersion: 1,
        },
      },
      {
        eventId: 'id-1',
        type: 'B',
        data: {},
        metadata: {
          tenantId: 't1',
          actor: recording.actor,
          correlationId: 'corr-1',
          causationId: 'cause-1',
          schemaVersion: 2,
        },
      },
    ]);
  });

  it('keeps an id the decider named, and names the pii subject only for events with pii', () => {
    const [named, sealed] = toNewEvents(
      [
        { type: 'A', data: {}, eventId: 'decided-id' },
        { type: 'A', data: { pii: { name: 'Ann' } } },
      ],
      { ...recording, piiSubjectOf: () => 'e-ann' },
    );
    expect(named.eventId).toBe('decided-id');
    expect(named.metadata).not.toHaveProperty('piiSubject');
    expect(sealed.metadata.piiSubject).toBe('e-ann');
  });
});
