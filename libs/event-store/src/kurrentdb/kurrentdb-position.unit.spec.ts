import fc from 'fast-check';
import { InvalidPosition } from '../errors';
import { START } from '../event-store.port';
import { compareLogPositions, decodePosition, encodePosition, START_POSITION } from './kurrentdb-position';

const MAX = (1n << 64n) - 1n;
const offset = fc.bigInt({ min: 0n, max: MAX });
const logPosition = fc.record({ commit: offset, prepare: offset });

describe('KurrentDB positions as one decimal integer', () => {
  it('round-trips every (commit, prepare) pair', () => {
    fc.assert(
      fc.property(logPosition, (position) => {
        expect(decodePosition(encodePosition(position))).toEqual(position);
      }),
    );
  });

  it('orders encoded positions, compared as numbers, exactly as $all orders (commit, prepare)', () => {
    fc.assert(
      fc.property(logPosition, logPosition, fc.boolean(), (a, other, sameCommit) => {
        const b = sameCommit ? { ...other, commit: a.commit } : other;
        const byLog = Math.sign(compareLogPositions(a, b));
        const [x, y] = [BigInt(encodePosition(a)), BigInt(encodePosition(b))];
        expect(Math.sign(Number(x - y))).toBe(byLog);
      }),
    );
  });

  it('orders a later commit after any prepare of an earlier commit', () => {
    const early = encodePosition({ commit: 7n, prepare: MAX });
    const late = encodePosition({ commit: 8n, prepare: 0n });
    expect(BigInt(early) < BigInt(late)).toBe(true);
  });

  it('writes plain decimal strings that a numeric column accepts', () => {
    fc.assert(
      fc.property(logPosition, (position) => {
        expect(encodePosition(position)).toMatch(/^(0|[1-9][0-9]*)$/);
      }),
    );
    expect(encodePosition({ commit: 1n, prepare: 2n })).toBe('18446744073709551618');
  });

  it('decodes START to the first position of the log', () => {
    expect(START_POSITION).toEqual({ commit: 0n, prepare: 0n });
    expect(encodePosition(START_POSITION)).toBe(START);
  });

  it.each(['', '-1', '01', '1.5', '1e3', ' 1', 'abc', (1n << 128n).toString()])(
    'rejects %j, which no encoded position can be',
    (text) => {
      expect(() => decodePosition(text)).toThrow(InvalidPosition);
    },
  );

  it('rejects offsets outside 0 .. 2^64 - 1, which would break the order', () => {
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: 0n, prepare: MAX + 1n })).toThrow(RangeError);
  });
});
