import { sha1, toHex, uuidV5 } from './uuid';

describe('pure SHA-1 and UUIDv5', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    ['a'.repeat(1000), '291e9a6c66994949b57ba5e650361e98fc36b1ba'],
  ])('hashes %j like FIPS 180 test vectors', (input, expected) => {
    expect(toHex(sha1(bytes(input)))).toBe(expected);
  });

  it('computes RFC 4122 name-based ids (python uuid.uuid5 vector)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives each namespace its own ids, the same on every call (namespaces are parsed once)', () => {
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    const url = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5(dns, 'www.example.com')).toBe(uuidV5(dns, 'www.example.com'));
    // python: uuid.uuid5(uuid.NAMESPACE_URL, 'www.example.com')
    expect(uuidV5(url, 'www.example.com')).toBe('b63cdfa4-3df9-568e-97ae-006c5b8fd652');
    expect(uuidV5(dns, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('nope', 'x')).toThrow('not a UUID');
  });
});
