import fc from 'fast-check';
import { decodePosition, encodePosition } from './position';

describe('PostgreSQL positions', () => {
  it('are transactionId * 10^19 + globalPosition, decode back, and order as the pairs do', () => {
    const pair = fc.tuple(
      fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
      fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
    );
    fc.assert(
      fc.property(pair, pair, ([tx, pos], [otherTx, otherPos]) => {
        const encoded = encodePosition(tx, pos);
        expect(encoded).toBe((tx * 10n ** 19n + pos).toString());
        expect(decodePosition(encoded)).toEqual({ transactionId: tx, globalPosition: pos });
        const byPair = tx === otherTx ? Math.sign(Number(pos - otherPos)) : tx < otherTx ? -1 : 1;
        const byValue = Math.sign(Number(BigInt(encoded) - BigInt(encodePosition(otherTx, otherPos))));
        expect(byValue).toBe(byPair);
      }),
    );
  });

  it('refuses what no store handed out', () => {
    for (const bad of ['', '-1', '1e5', 'abc', '1'.repeat(41)])
      expect(() => decodePosition(bad)).toThrow(/not a position/);
    // Decimal, but beyond a bigint global position or an xid8 transaction id.
    for (const bad of ['9'.repeat(23), '9223372036854775808', (2n ** 64n * 10n ** 19n).toString()])
      expect(() => decodePosition(bad)).toThrow(/not a position/);
    expect(decodePosition('9223372036854775807').globalPosition).toBe(2n ** 63n - 1n);
  });
});
