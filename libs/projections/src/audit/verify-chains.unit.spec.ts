import { eventHash, type RecordedEvent } from '@verity/event-store';
import { testMetadata } from '../testing/event-metadata';
import { ChainVerifier, verifyChains } from './verify-chains';

const hashOf = eventHash;

function chain(hashVersion?: 2): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const prev = new Map<string, string>();
  const rev = new Map<string, bigint>();
  ['s1', 's2', 's1', 's1', 's2'].forEach((s, i) => {
    const e: RecordedEvent = {
      eventId: `e${i}`,
      type: 'T',
      data: { n: i },
      metadata: {
        ...testMetadata(),
        previousHash: prev.get(s) ?? null,
        ...(hashVersion ? { hashVersion } : {}),
      },
      streamId: s,
      streamRevision: rev.get(s) ?? 0n,
      position: String(i + 1),
      recordedAt: new Date(Date.UTC(2026, 0, 1, 9, 0, i)),
    };
    e.metadata.hash = hashOf(e);
    prev.set(s, e.metadata.hash);
    rev.set(s, e.streamRevision + 1n);
    events.push(e);
  });
  return events;
}

it('accepts an intact log and returns the head hash', () => {
  const events = chain();
  expect(verifyChains(events, hashOf)).toEqual({
    ok: true,
    legacyEvents: 5,
    headHash: events[4].metadata.hash,
    eventsChecked: 5,
    streamsChecked: 2,
    firstBreak: null,
  });
});

it.each<[string, (events: RecordedEvent[]) => RecordedEvent[], { eventId: string; problem: string }]>([
  [
    'a changed payload',
    (events) => events.map((e) => (e.eventId === 'e2' ? { ...e, data: { n: 99 } } : e)),
    { eventId: 'e2', problem: 'tampered' },
  ],
  [
    'a deleted event',
    (events) => events.filter((e) => e.eventId !== 'e2'),
    { eventId: 'e3', problem: 'missing' },
  ],
  // Revision 1 of s1 moved after revision 2: a reordering, named by the event that was moved.
  [
    'a reordering',
    (events) => [events[0], events[1], events[3], events[2], events[4]],
    { eventId: 'e2', problem: 'reordered' },
  ],
])('names %s', (_, change, named) => {
  expect(verifyChains(change(chain()), hashOf).firstBreak).toEqual({
    streamId: 's1',
    revision: '1',
    ...named,
  });
});

it('names swapped revisions a break', () => {
  const swappedRevisions = chain();
  swappedRevisions[2] = { ...swappedRevisions[2], streamRevision: 2n };
  swappedRevisions[3] = { ...swappedRevisions[3], streamRevision: 1n };
  expect(verifyChains(swappedRevisions, hashOf).ok).toBe(false);
});

it('names a deleted last event, which leaves no gap, from the stream heads the store keeps', () => {
  const events = chain();
  const heads = new Map(
    ['s1', 's2'].map((stream) => {
      const last = events.filter((e) => e.streamId === stream).pop()!;
      return [stream, { revision: last.streamRevision, hash: last.metadata.hash! }];
    }),
  );
  const intact = new ChainVerifier(hashOf);
  events.forEach((event) => intact.add(event));
  intact.checkHeads(heads);
  expect(intact.report().ok).toBe(true);

  const truncated = new ChainVerifier(hashOf);
  events.filter((event) => event.eventId !== 'e4').forEach((event) => truncated.add(event));
  truncated.checkHeads(heads);
  expect(truncated.report().firstBreak).toEqual({
    streamId: 's2',
    eventId: 'e1',
    revision: '1',
    problem: 'missing',
  });
});

it('covers the recorded time from hash version 2 on, and refuses a downgrade to version 1', () => {
  const events = chain(2);
  expect(verifyChains(events, hashOf)).toMatchObject({ ok: true, legacyEvents: 0 });

  const backDated = chain(2);
  backDated[3] = { ...backDated[3], recordedAt: new Date(Date.UTC(2025, 0, 1)) };
  expect(verifyChains(backDated, hashOf).firstBreak).toEqual({
    streamId: 's1',
    eventId: 'e3',
    revision: '2',
    problem: 'tampered',
  });

  // Version 1 leaves the time out: back-dating such an event goes unseen by the chain (the signed
  // checkpoints cover it), which is why a version-1 event after a version-2 one is a break.
  const legacy = chain();
  legacy[3] = { ...legacy[3], recordedAt: new Date(Date.UTC(2025, 0, 1)) };
  expect(verifyChains(legacy, hashOf).ok).toBe(true);
  const downgraded = chain(2);
  const { hashVersion: _dropped, ...metadata } = downgraded[3].metadata;
  downgraded[3] = { ...downgraded[3], metadata };
  downgraded[3].metadata.hash = hashOf(downgraded[3]);
  expect(verifyChains(downgraded, hashOf).firstBreak).toMatchObject({ eventId: 'e3', problem: 'tampered' });
});

it("names an event of another tenant found in the tenant's log", () => {
  const events = chain(2);
  events[1] = { ...events[1], metadata: { ...events[1].metadata, tenantId: 'other' } };
  events[1].metadata.hash = hashOf(events[1]);
  const verifier = new ChainVerifier(hashOf, 't');
  events.forEach((event) => verifier.add(event));
  expect(verifier.report().firstBreak).toMatchObject({ eventId: 'e1', problem: 'tampered' });
});
