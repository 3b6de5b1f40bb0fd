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
  });
});
