import { randomUUID } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { NewEvent } from './event-store.port';
import { contentHash, contentHashOfCanonical } from './hash-chain';
import { prepareAppend } from './validation';
import { metadataFor } from './testing/contract-fixtures';

// Validation writes each event's data and metadata as RFC 8785 canonical JSON, stores that text and
// hashes it as it is (ADR 0173). The reader's check recomputes the content hash with
// json-canonicalize from the event as read back: both must agree on every value an append accepts.
const STREAM = 'appraisal-tenant-a.7';
const eventWith = (data: unknown, extra: Record<string, unknown> = {}): NewEvent => ({
  eventId: randomUUID().toUpperCase(),
  type: 'PeriodReviewed',
  data,
  metadata: metadataFor('tenant-a', { schemaVersion: 2, ...extra }),
});

const values: [string, unknown][] = [
  [
    'keys in code unit order (digits, capitals, accents, emoji)',
    { b: 1, a: 2, '10': 3, '9': 4, B: 5, é: 6, '😀': 7, ﬀ: 8 },
  ],
  [
    'numbers as ECMAScript writes them',
    { n: [0, -0, 0.1, 1e21, 1e-7, 123456789012345680000, -1.5, 2 ** 53] },
  ],
  [
    'strings that need escaping',
    { s: 'quote " backslash \\ tab \t newline \n bell \u0007 \u001f line \u2028 €' },
  ],
  [
    'nesting, arrays of objects, empty containers',
    { z: [{ y: [], x: {} }, [[1, { b: null, a: true }]]], a: false },
  ],
  [
    'more keys than an insertion sort is used for',
    Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`k${(index * 7) % 40}`, index])),
  ],
  ['an object without a prototype', Object.assign(Object.create(null), { b: 'x', a: 'y' })],
  ['a scalar', 'just text'],
  ['null', null],
];

describe('canonical JSON of an append', () => {
  it.each(values)(
    '%s: stored as json-canonicalize writes it, hashed as the reader hashes it',
    (_name, data) => {
      const [event] = prepareAppend(STREAM, [eventWith(data, { ruleVersion: 'r-3' })], {
        expectedRevision: 'any',
      });
      expect(event.dataJson).toBe(canonicalize(data));
      expect(event.metadataJson).toBe(canonicalize(event.metadata));
      const hash = contentHashOfCanonical(
        STREAM,
        event.eventId,
        event.type,
        event.dataJson,
        event.metadataJson,
      );
      expect(hash).toBe(contentHash({ streamId: STREAM, ...event }));
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it.each([
    // eslint-disable-next-line no-sparse-arrays -- the hole is the case under test
    ['an array hole (stored as null)', { list: [1, , 3] }],
    ['an undefined property (dropped)', { a: 1, b: undefined }],
  ])('%s: hashed as the event read back is', (_name, data) => {
    const [event] = prepareAppend(STREAM, [eventWith(data)], { expectedRevision: 'any' });
    const readBack = JSON.parse(JSON.stringify(data)) as unknown;
    expect(JSON.parse(event.dataJson)).toEqual(readBack);
    expect(
      contentHashOfCanonical(STREAM, event.eventId, event.type, event.dataJson, event.metadataJson),
    ).toBe(
      contentHash({
        streamId: STREAM,
        eventId: event.eventId,
        type: event.type,
        data: readBack,
        metadata: event.metadata,
      }),
    );
  });

  it('a different value hashes differently', () => {
    const [a, b] = prepareAppend(STREAM, [eventWith({ score: 96.5 }), eventWith({ score: 96.6 })], {
      expectedRevision: 'any',
    });
    const hashOf = (event: typeof a) =>
      contentHashOfCanonical(STREAM, a.eventId, event.type, event.dataJson, a.metadataJson);
    expect(hashOf(a)).not.toBe(hashOf(b));
  });
});
