import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { canonicalize } from 'json-canonicalize';
import { contentHash, linkHash, type RecordedEvent } from '@verity/event-store';

// The standalone verifier is plain JavaScript with no types of its own (tools/audit-verifier).
const { canonical } = require('../../tools/audit-verifier/src/canonical') as {
  canonical: (value: unknown) => string;
};
const { eventHash } = require('../../tools/audit-verifier/src/hashes') as {
  eventHash: (event: unknown) => string;
};

describe("the offline verifier's canonical JSON (its own, for speed)", () => {
  it('writes what the RFC 8785 library writes, for any JSON value read back by JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed: unknown = JSON.parse(JSON.stringify(value));
        expect(canonical(parsed)).toBe(canonicalize(parsed));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes numbers, escapes and key order as the library does at their edges', () => {
    const edges = JSON.parse(
      '{"b":[1e21,1e-7,-0,0.1,123456789012345680000,5e-324,1.7976931348623157e308],' +
        '"a":"\\u2028\\ud800\\u0000\\"\\\\","é":1,"e":2,"10":3,"9":{},"":[[],{}]}',
    );
    expect(canonical(edges)).toBe(canonicalize(edges));
  });

  it('refuses a number JSON.parse read as infinite, as the library does', () => {
    const huge = JSON.parse('{"n":1e400}');
    expect(() => canonicalize(huge)).toThrow();
    expect(() => canonical(huge)).toThrow(/Non-finite/);
  });
});

describe("the offline verifier's chain hash", () => {
  const event = (hashVersion: 1 | 2): RecordedEvent => {
    const recordedAt = new Date(Date.UTC(2026, 2, 1, 9, 30, 0, 123));
    const base: RecordedEvent = {
      eventId: randomUUID().toUpperCase(),
      type: 'PeriodReviewFiled',
      data: { actuals: { sales: '950', mix: [1, 2.5, null, true] }, pii: { comment: 'Zoë — "ok"' } },
      metadata: {
        tenantId: 't1',
        actor: { id: 'e-1', role: 'manager' },
        correlationId: 'c-1',
        causationId: null,
        schemaVersion: 1,
      },
      streamId: 'appraisal-t1.a1',
      streamRevision: 7n,
      position: '0',
      recordedAt,
    };
    const previousHash = 'ab'.repeat(32);
    const hash = linkHash(previousHash, 7n, contentHash(base), hashVersion === 2 ? recordedAt : undefined);
    return {
      ...base,
      metadata: { ...base.metadata, previousHash, hash, ...(hashVersion === 2 ? { hashVersion: 2 } : {}) },
    };
  };

  it.each([1, 2] as const)(
    'equals the server’s for a version-%i event as the bundle carries it',
    (version) => {
      const stored = event(version);
      const line = JSON.parse(
        JSON.stringify({
          ...stored,
          streamRevision: stored.streamRevision.toString(),
          recordedAt: stored.recordedAt.toISOString(),
        }),
      );
      expect(eventHash(line)).toBe(stored.metadata.hash);
      // And a changed payload is seen.
      line.data.actuals.sales = '951';
      expect(eventHash(line)).not.toBe(stored.metadata.hash);
    },
  );
});
