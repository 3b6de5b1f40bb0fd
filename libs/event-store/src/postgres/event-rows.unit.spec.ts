import { inStreamOrder, toRecordedEvent, type EventRow } from './event-rows';

const row = (revision: number): EventRow => [
  `42${String(100 + revision).padStart(19, '0')}`,
  'appraisal-t.1',
  String(revision),
  `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
  'PlanSubmitted',
  [{ n: revision, pii: null }, { tenantId: 't', hash: `h${revision}` } as EventRow[5][1]],
  '1767323045678.999',
];

describe('event rows', () => {
  it('decodes a row: data and metadata as parsed, the time truncated to the millisecond', () => {
    expect(toRecordedEvent(row(3))).toEqual({
      eventId: '00000000-0000-4000-8000-000000000003',
      type: 'PlanSubmitted',
      data: { n: 3, pii: null },
      metadata: { tenantId: 't', hash: 'h3' },
      streamId: 'appraisal-t.1',
      streamRevision: 3n,
      position: '420000000000000000103',
      recordedAt: new Date('2026-01-02T03:04:05.678Z'),
    });
  });

  it('keeps events already in stream order and sorts those that are not, either way', () => {
    /** The revisions inStreamOrder answers for events read in the order `read`. */
    const ordered = (read: number[], backwards: boolean) =>
      inStreamOrder(
        read.map((n) => toRecordedEvent(row(n))),
        backwards,
      ).map((event) => event.streamRevision);
    const forwards = [0, 1, 2].map((n) => toRecordedEvent(row(n)));
    expect(inStreamOrder(forwards, false)).toBe(forwards);
    expect(ordered([2, 0, 1], false)).toEqual([0n, 1n, 2n]);
    expect(ordered([0, 2, 1], true)).toEqual([2n, 1n, 0n]);
    expect(ordered([], false)).toEqual([]);
  });
});
