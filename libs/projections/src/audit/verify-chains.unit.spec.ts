import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@verity/event-store';
import { verifyChains } from './verify-chains';

// Stand-in for the store's hash until libs/event-store exports verifyChain's hash.
const hashOf = (e: RecordedEvent) =>
  createHash('sha256')
    .update(`${e.metadata.previousHash ?? ''}|${e.type}|${JSON.stringify(e.data)}`)
    .digest('hex');

function chain(): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const prev = new Map<string, string>();
  const rev = new Map<string, bigint>();
  ['s1', 's2', 's1', 's1', 's2'].forEach((s, i) => {
    const e: RecordedEvent = {
      eventId: `e${i}`,
      type: 'T',
      data: { n: i },
      metadata: {
        tenantId: 't',
        actor: { id: 'u', role: 'hr' },
        correlationId: 'c',
        causationId: null,
        schemaVersion: 1,
        previousHash: prev.get(s) ?? null,
      },
      streamId: s,
      streamRevision: rev.get(s) ?? 0n,
      position: String(i + 1),
      recordedAt: new Date(0),
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
    headHash: events[4].metadata.hash,
    eventsChecked: 5,
    firstBreak: null,
  });
});

it('names a changed payload, a deleted event and a reordering', () => {
  const tampered = chain();
  tampered[2] = { ...tampered[2], data: { n: 99 } };
  expect(verifyChains(tampered, hashOf).firstBreak).toEqual({
    streamId: 's1',
    eventId: 'e2',
    revision: '1',
    problem: 'tampered',
  });
  const deleted = chain().filter((e) => e.eventId !== 'e2');
  expect(verifyChains(deleted, hashOf).firstBreak).toEqual({
    streamId: 's1',
    eventId: 'e3',
    revision: '1',
    problem: 'missing',
  });
  const reordered = chain();
  [reordered[2], reordered[3]] = [reordered[3], reordered[2]];
  expect(verifyChains(reordered, hashOf).firstBreak).toMatchObject({
    streamId: 's1',
    eventId: 'e3',
    problem: 'missing',
  });
  const swappedRevisions = chain();
  swappedRevisions[2] = { ...swappedRevisions[2], streamRevision: 2n };
  swappedRevisions[3] = { ...swappedRevisions[3], streamRevision: 1n };
  expect(verifyChains(swappedRevisions, hashOf).ok).toBe(false);
});
