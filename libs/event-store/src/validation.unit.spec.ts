import { randomUUID } from 'node:crypto';
import type { NewEvent } from './event-store.port';
import { InvalidEvent } from './errors';
import { prepareAppend, prepareAppends } from './validation';

// The edges of the plain-JSON rule, pinned: a faster check must give these the same answers
// (one was measured and left out, docs/benchmarks.md 2026-12-05).
const withData = (data: unknown): NewEvent => ({
  eventId: randomUUID(),
  type: 'PeriodReviewed',
  data,
  metadata: {
    tenantId: 'tenant-a',
    actor: { id: 'manager-1', role: 'manager' },
    correlationId: 'corr-1',
    causationId: null,
    schemaVersion: 1,
  },
});
const prepare = (data: unknown) =>
  prepareAppend('appraisal-tenant-a.1', [withData(data)], { expectedRevision: 'any' });
const nested = (levels: number, inner: unknown): unknown =>
  levels === 0 ? inner : { next: nested(levels - 1, inner) };
const faultOf = (data: unknown) => {
  try {
    prepare(data);
  } catch (error) {
    if (error instanceof InvalidEvent) return { field: error.field, rule: error.rule };
    throw error;
  }
  return undefined;
};

describe('prepareAppend: plain JSON data', () => {
  it.each([
    ['a paired surrogate (an emoji)', { s: 'smile 😀' }],
    // eslint-disable-next-line no-sparse-arrays -- the hole is the case under test
    ['a sparse array (holes are skipped, as JSON.stringify writes null)', { list: [1, , 3] }],
    ['an undefined property (dropped, as JSON.stringify does)', { a: 1, b: undefined }],
    ['a value 64 levels down', nested(63, { leaf: 1 })],
    ['an empty object 64 levels down', nested(64, {})],
    ['an object without a prototype', Object.assign(Object.create(null), { a: 'x' })],
  ])('accepts %s', (_name, data) => {
    expect(faultOf(data)).toBeUndefined();
    // The stored text is canonical JSON (ADR 0173): the same value JSON.stringify writes.
    expect(JSON.parse(prepare(data)[0].dataJson)).toEqual(JSON.parse(JSON.stringify(data)));
  });

  const circular: Record<string, unknown> = { list: [] };
  (circular.list as unknown[]).push(circular);
  it.each([
    [
      'a value 65 levels down',
      nested(64, { leaf: 1 }),
      'events[0].data' + '.next'.repeat(64) + '.leaf',
      'nest',
    ],
    ['a cycle through an array', circular, 'events[0].data.list[0]', 'circular'],
    ['an undefined array item', { list: [1, undefined] }, 'events[0].data.list[1]', 'undefined'],
    ['a lone surrogate after a paired one', { s: '😀\ud800' }, 'events[0].data.s', 'well-formed'],
    ['a NUL deep in an array', { a: [{ b: ['ok', 'x\u0000'] }] }, 'events[0].data.a[0].b[1]', 'NUL'],
    ['Infinity', { x: Number.POSITIVE_INFINITY }, 'events[0].data.x', 'finite'],
    ['a Map', { m: new Map() }, 'events[0].data.m', 'plain JSON'],
    ['undefined data', undefined, 'events[0].data', 'JSON-serialisable'],
  ])('refuses %s, naming the field', (_name, data, field, rule) => {
    const fault = faultOf(data);
    expect(fault?.field).toBe(field);
    expect(fault?.rule).toContain(rule);
  });
});

describe('prepareAppend: the field a fault names', () => {
  // Paths are put together on the way out of a fault (ADR 0184): each place must still be named whole.
  const fieldOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof InvalidEvent) return error.field;
      throw error;
    }
    return undefined;
  };
  const good = withData({ ok: true });
  const second = (event: Record<string, unknown>) => [good, { ...withData({}), ...event } as NewEvent];
  const append = (events: NewEvent[]) => () =>
    prepareAppend('appraisal-tenant-a.1', events, { expectedRevision: 'any' });

  it.each([
    ['an event that is not an object', [good, null as unknown as NewEvent], 'events[1]'],
    ['a bad event id', second({ eventId: 'x' }), 'events[1].eventId'],
    ['a repeated event id', [good, { ...withData({}), eventId: good.eventId }], 'events[1].eventId'],
    ['a bad type', second({ type: '1x' }), 'events[1].type'],
    ['metadata that is not an object', second({ metadata: [] }), 'events[1].metadata'],
    [
      'a bad tenant id',
      second({ metadata: { ...good.metadata, tenantId: 'A B' } }),
      'events[1].metadata.tenantId',
    ],
    [
      'a missing actor role',
      second({ metadata: { ...good.metadata, actor: { id: 'x' } } }),
      'events[1].metadata.actor.role',
    ],
    ['a store field', second({ metadata: { ...good.metadata, hash: 'h' } }), 'events[1].metadata.hash'],
    [
      'a bad value in metadata',
      second({ metadata: { ...good.metadata, extra: { n: Number.NaN } } }),
      'events[1].metadata.extra.n',
    ],
  ])('names %s', (_name, events, field) => {
    expect(fieldOf(append(events))).toBe(field);
  });

  it("names a fault of one stream's events in a call of many appends", () => {
    const requests = [
      { streamId: 'appraisal-tenant-a.1', events: [good], expectedRevision: 'any' as const },
      {
        streamId: 'appraisal-tenant-a.2',
        events: second({ data: { list: [1, undefined] } }),
        expectedRevision: 'any' as const,
      },
    ];
    expect(fieldOf(() => prepareAppends(requests))).toBe('requests[1].events[1].data.list[1]');
  });
});
