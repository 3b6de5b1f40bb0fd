import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { RecordedEvent } from '@verity/event-store';

/**
 * The Merkle tree over a tenant's log (docs/adr/0075-provable-audit.md, docs/audit-proofs.md):
 * RFC 9162 §2.1 hashing (leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), the
 * left subtree the largest power of two below n), with the inclusion and consistency proofs of
 * §2.1.3 and §2.1.4. Hashes are 32-byte Buffers here and lowercase hex at the edges.
 */

const sha256 = (...parts: Buffer[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE, left, right);

/**
 * A leaf: the event's place (stream, revision), id, recorded time and chain hash, as RFC 8785
 * canonical JSON. The chain hash covers the content, so the leaf covers every stored column that
 * history shows, whatever the event's hash version.
 */
export function leafHash(event: RecordedEvent): Buffer {
  return sha256(
    LEAF,
    Buffer.from(
      canonicalize({
        eventId: event.eventId.toLowerCase(),
        hash: event.metadata.hash ?? null,
        recordedAt: event.recordedAt.toISOString(),
        streamId: event.streamId,
        streamRevision: event.streamRevision.toString(),
      }),
      'utf8',
    ),
  );
}

/**
 * The root of a growing tree, fed leaf by leaf in O(log n) memory: it keeps the roots of the full
 * subtrees along the right edge (at most one per power of two).
 */
export class MerkleAccumulator {
  private readonly frontier: Buffer[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(leaf: Buffer): void {
    let node = leaf;
    // Each trailing 1 bit of the count is a full subtree of that size to merge with.
    for (let n = this.count; n & 1; n >>= 1) node = nodeHash(this.frontier.pop()!, node);
    this.frontier.push(node);
    this.count += 1;
  }

  /** RFC 9162's MTH of the leaves so far (SHA-256 of nothing for none). */
  root(): Buffer {
    if (this.frontier.length === 0) return sha256();
    let root = this.frontier[this.frontier.length - 1];
    for (let i = this.frontier.length - 2; i >= 0; i -= 1) root = nodeHash(this.frontier[i], root);
    return root;
  }
}

const largestPowerOfTwoBelow = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** MTH(D[from:to]). */
export function subtreeRoot(leaves: readonly Buffer[], from = 0, to = leaves.length): Buffer {
  const n = to - from;
  if (n === 0) return sha256();
  if (n === 1) return leaves[from];
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

/** PATH(m, D[0:n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of `size` leaves. */
export function inclusionProof(leaves: readonly Buffer[], index: number, size = leaves.length): Buffer[] {
  if (!(index >= 0 && index < size && size <= leaves.length)) throw new RangeError('leaf outside the tree');
  const path = (m: number, from: number, to: number): Buffer[] => {
    const n = to - from;
    if (n === 1) return [];
    const k = largestPowerOfTwoBelow(n);
    return m < k
      ? [...path(m, from, from + k), subtreeRoot(leaves, from + k, to)]
      : [...path(m - k, from + k, to), subtreeRoot(leaves, from, from + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1: that the tree of `size` leaves extends the one of `from`. */
export function consistencyProof(leaves: readonly Buffer[], from: number, size = leaves.length): Buffer[] {
  if (!(from >= 0 && from <= size && size <= leaves.length)) throw new RangeError('sizes outside the tree');
  if (from === 0 || from === size) return [];
  const subproof = (m: number, start: number, end: number, whole: boolean): Buffer[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [subtreeRoot(leaves, start, end)];
    const k = largestPowerOfTwoBelow(n);
    return m <= k
      ? [...subproof(m, start, start + k, whole), subtreeRoot(leaves, start + k, end)]
      : [...subproof(m - k, start + k, end, false), subtreeRoot(leaves, start, start + k)];
  };
  return subproof(from, 0, size, true);
}
