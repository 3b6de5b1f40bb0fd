import { MerkleAccumulator, consistencyProof, inclusionProof, subtreeRoot } from './merkle';
import { h, naiveRoot, verifyConsistency, verifyInclusion } from './testing/rfc9162-verifier';

const leafOf = (i: number) => h(Buffer.from([0]), Buffer.from(`leaf ${i}`));

const leaves = Array.from({ length: 70 }, (_, i) => leafOf(i));

it('computes the RFC 9162 root, fed all at once or leaf by leaf', () => {
  const accumulator = new MerkleAccumulator();
  expect(accumulator.root()).toEqual(h());
  for (let n = 1; n <= leaves.length; n += 1) {
    accumulator.add(leaves[n - 1]);
    expect(accumulator.root().toString('hex')).toBe(naiveRoot(leaves.slice(0, n)).toString('hex'));
    expect(subtreeRoot(leaves, 0, n)).toEqual(accumulator.root());
  }
});

it('gives inclusion proofs that an independent verifier accepts, and only for the right leaf', () => {
  for (const size of [1, 2, 3, 7, 8, 9, 31, 64, 70])
    for (let index = 0; index < size; index += 1) {
      const root = naiveRoot(leaves.slice(0, size));
      const path = inclusionProof(leaves, index, size);
      expect(verifyInclusion(index, size, leaves[index], path, root)).toBe(true);
      expect(verifyInclusion(index, size, leafOf(1000), path, root)).toBe(false);
      if (size > 1) expect(verifyInclusion((index + 1) % size, size, leaves[index], path, root)).toBe(false);
    }
});

it('gives consistency proofs that an independent verifier accepts, and refuses a rewritten past', () => {
  const rewritten = leaves.map((leaf, i) => (i === 2 ? leafOf(999) : leaf));
  for (const second of [1, 2, 5, 8, 13, 64, 70])
    for (let first = 1; first <= second; first += 1) {
      const proof = consistencyProof(leaves, first, second);
      const firstRoot = naiveRoot(leaves.slice(0, first));
      const secondRoot = naiveRoot(leaves.slice(0, second));
      expect(verifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(true);
      if (first > 2 && first < second) {
        const forged = consistencyProof(rewritten, first, second);
        expect(
          verifyConsistency(first, second, firstRoot, naiveRoot(rewritten.slice(0, second)), forged),
        ).toBe(false);
      }
    }
});
