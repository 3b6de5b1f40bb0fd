import { createHash } from 'node:crypto';
import { MerkleAccumulator, consistencyProof, inclusionProof, subtreeRoot } from './merkle';

// An independent implementation, written from RFC 9162 §2.1.3.2 and §2.1.4.2 (the verification
// algorithms, which walk the bits of the indices and share nothing with the product's recursion).
const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leafOf = (i: number) => h(Buffer.from([0]), Buffer.from(`leaf ${i}`));
const node = (l: Buffer, r: Buffer) => h(Buffer.from([1]), l, r);

function naiveRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return h();
  let level = leaves;
  // Pairwise levels, an odd last node carried up unchanged: the same tree as RFC 9162's split.
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? node(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

function verifyInclusion(index: number, size: number, leaf: Buffer, path: Buffer[], root: Buffer): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else r = node(r, p);
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}

function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: Buffer[],
) {
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  let path = proof;
  if ((first & (first - 1)) === 0) path = [firstRoot, ...path];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else sr = node(sr, c);
    fn >>= 1;
    sn >>= 1;
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

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
