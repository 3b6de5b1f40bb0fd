import { randomBytes } from 'node:crypto';
import { isErasedPii, isSealedPii, openPii, sealPii, unwrapKey, wrapKey } from './pii-envelope';

const key = { keyId: '6f1c3a52-0d4e-4a8b-9f3e-2b7c1d0e5a91', subject: 'e-7', key: randomBytes(32) };
const EVENT = '0b0c1d2e-3f40-4152-8637-48596a7b8c9d';

describe('pii envelope', () => {
  it('seals to ciphertext that opens again only with the key and for the same event', () => {
    const sealed = sealPii({ name: 'Zhang San', email: 'zhang.san@example.com' }, key, EVENT);
    expect(isSealedPii(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toMatch(/zhang/i);
    expect(sealed).toMatchObject({ sealed: 1, subject: 'e-7', keyId: key.keyId });
    expect(openPii(sealed, key.key, EVENT)).toEqual({ name: 'Zhang San', email: 'zhang.san@example.com' });
    expect(() => openPii(sealed, randomBytes(32), EVENT)).toThrow();
    // Moved to another event: the binding (AAD) fails.
    expect(() => openPii(sealed, key.key, '1b0c1d2e-3f40-4152-8637-48596a7b8c9d')).toThrow();
  });

  it('wraps a data key so that only the master key and the same binding unwrap it', () => {
    const master = randomBytes(32);
    const wrapped = wrapKey(key.key, master, 'demo/k/e-7');
    expect(unwrapKey(wrapped, master, 'demo/k/e-7').equals(key.key)).toBe(true);
    expect(() => unwrapKey(wrapped, master, 'other/k/e-7')).toThrow();
    expect(() => unwrapKey(wrapped, randomBytes(32), 'demo/k/e-7')).toThrow();
  });

  it('gives every sealing its own nonce, across the blocks nonces are drawn in, and each still opens', () => {
    // 1,000 sealings span three blocks of 341 nonces: a repeat, or a nonce changed after use, shows here.
    const sealed = Array.from({ length: 1000 }, (_, n) => sealPii({ n }, key, EVENT));
    expect(new Set(sealed.map((one) => one.nonce)).size).toBe(1000);
    expect(sealed.every((one) => Buffer.from(one.nonce, 'base64').length === 12)).toBe(true);
    expect(sealed.map((one) => openPii(one, key.key, EVENT))).toEqual(sealed.map((_, n) => ({ n })));
  });

  it('tells the erased marker from data that merely has an `erased` field', () => {
    expect(isErasedPii({ erased: true })).toBe(true);
    expect(isErasedPii({ erased: true, name: 'x' })).toBe(false);
    expect(isErasedPii({ reason: 'erased' })).toBe(false);
  });
});
