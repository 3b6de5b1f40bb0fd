'use strict';
// The offline verifier of docs/audit-proofs.md, written from that document alone: it shares no code
// with the server. Node's crypto does SHA-256 and Ed25519; json-canonicalize does RFC 8785. The
// hashing runs on worker threads (hash-worker.js); the checks that depend on order run here.
const crypto = require('node:crypto');
const { createHash, createPublicKey, verify: verifySignature } = crypto;
const { open } = require('node:fs/promises');
const { availableParallelism } = require('node:os');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { canonicalize } = require('json-canonicalize');

const CHECKPOINT_TYPE = 'AuditCheckpointSigned';
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const NODE = Buffer.from([1]);
const CHUNK = 4 * 1024 * 1024;

const nodeHash = (left, right) => createHash('sha256').update(NODE).update(left).update(right).digest();
// One-shot hashing where Node has it (20.12+), else a Hash object: the same bytes either way.
const sha256 =
  typeof crypto.hash === 'function'
    ? (bytes) => crypto.hash('sha256', bytes, 'buffer')
    : (bytes) => createHash('sha256').update(bytes).digest();

/**
 * The file in pieces of whole lines, as bytes: one read buffer reused (fresh large allocations are
 * what costs here), each piece copied out once so it can be handed to a hashing thread.
 */
async function* pieces(file) {
  const handle = await open(file, 'r');
  try {
    let buffer = Buffer.allocUnsafe(CHUNK * 2);
    let filled = 0;
    for (;;) {
      if (buffer.length - filled < CHUNK) {
        const larger = Buffer.allocUnsafe(buffer.length * 2); // a line longer than a chunk
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, filled, CHUNK, null);
      filled += bytesRead;
      if (bytesRead === 0) {
        if (filled) yield Buffer.from(buffer.subarray(0, filled));
        return;
      }
      // A newline byte never occurs inside a multi-byte UTF-8 character: cutting there is safe.
      const end = buffer.subarray(0, filled).lastIndexOf(10);
      if (end < 0) continue;
      yield Buffer.from(buffer.subarray(0, end));
      buffer.copy(buffer, 0, end + 1, filled);
      filled -= end + 1;
    }
  } finally {
    await handle.close();
  }
}

/**
 * RFC 9162 tree root, fed leaf by leaf: the roots of the full subtrees on the right edge. Leaves are
 * read in place from the hashing threads' packed buffers, and each node is hashed from one scratch
 * buffer (0x01 ‖ left ‖ right): a million leaves made a Buffer view and a Hash object each before,
 * which was most of this thread's time (docs/adr/0106).
 */
class Tree {
  constructor() {
    this.frontier = [];
    this.size = 0;
    this.scratch = Buffer.alloc(65);
    this.scratch[0] = 1;
  }
  add(leaves, offset) {
    let n = this.size;
    let node;
    if (n & 1) {
      this.frontier.pop().copy(this.scratch, 1);
      leaves.copy(this.scratch, 33, offset, offset + 32);
      node = sha256(this.scratch);
      for (n >>= 1; n & 1; n >>= 1) {
        this.frontier.pop().copy(this.scratch, 1);
        node.copy(this.scratch, 33);
        node = sha256(this.scratch);
      }
    } else node = Buffer.from(leaves.subarray(offset, offset + 32));
    this.frontier.push(node);
    this.size += 1;
  }
  root() {
    if (this.frontier.length === 0) return createHash('sha256').digest();
    let root = this.frontier[this.frontier.length - 1];
    for (let i = this.frontier.length - 2; i >= 0; i -= 1) root = nodeHash(this.frontier[i], root);
    return root;
  }
}

function publicKey(base64) {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== 32) throw new Error('a public key must be 32 bytes in base64');
  return {
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
    key: createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' }),
  };
}

function signatureHolds(keys, tenantId, checkpoint) {
  const key = keys.get(checkpoint.keyId);
  if (!key || checkpoint.algorithm !== 'Ed25519') return false;
  const message = canonicalize({
    kind: 'verity-audit-checkpoint/1',
    tenantId,
    treeSize: checkpoint.treeSize,
    rootHash: checkpoint.rootHash,
    signedAt: checkpoint.signedAt,
    keyId: checkpoint.keyId,
  });
  try {
    return verifySignature(
      null,
      Buffer.from(message, 'utf8'),
      key,
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/** Pass 1: the header and every checkpoint event (each signs a size the log reaches before it). */
async function readHeaderAndCheckpoints(file) {
  let header = null;
  const checkpoints = [];
  // Searched as bytes, decoding only the lines found: decoding the whole file to text was a third of
  // this thread's time (docs/adr/0106). The type's UTF-8 bytes cannot start inside another character.
  const needle = Buffer.from(CHECKPOINT_TYPE, 'utf8');
  for await (let piece of pieces(file)) {
    if (header === null) {
      const end = piece.indexOf(10);
      header = JSON.parse(piece.toString('utf8', 0, end < 0 ? piece.length : end));
      if (header.format !== 'verity-audit-bundle/1') throw new Error('not a verity-audit-bundle/1 file');
      piece = piece.subarray(end < 0 ? piece.length : end + 1);
    }
    for (let at = piece.indexOf(needle); at >= 0; at = piece.indexOf(needle, at + 1)) {
      const start = piece.lastIndexOf(10, at) + 1;
      const stop = piece.indexOf(10, at);
      const event = JSON.parse(piece.toString('utf8', start, stop < 0 ? piece.length : stop));
      if (event.type === CHECKPOINT_TYPE)
        checkpoints.push({
          ...event.data,
          eventId: event.eventId,
          streamId: event.streamId,
          revision: event.streamRevision,
        });
      if (stop < 0) break;
      at = stop;
    }
  }
  if (header === null) throw new Error('the bundle is empty');
  return { header, checkpoints };
}

/** Worker threads that hash pieces of the log; results come back in the order asked. */
function hashingPool(threads) {
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(path.join(__dirname, 'hash-worker.js'));
    const waiting = [];
    worker.on('message', (result) => waiting.shift().resolve(result));
    worker.on('error', (error) => waiting.splice(0).forEach((entry) => entry.reject(error)));
    return { worker, waiting };
  });
  let next = 0;
  return {
    hash(seq, bytes) {
      const target = workers[next++ % workers.length];
      return new Promise((resolve, reject) => {
        target.waiting.push({ resolve, reject });
        target.worker.postMessage({ seq, bytes }, [bytes.buffer]);
      });
    },
    close: () => Promise.all(workers.map(({ worker }) => worker.terminate())),
  };
}

/**
 * Verifies a bundle file. `options.publicKeys`: the keys the auditor trusts (base64); without them,
 * the bundle's own header keys are used (and the report says so). `options.checkpoints`: checkpoints
 * the auditor kept from earlier, checked like those in the log. `options.threads`: hashing threads.
 */
async function verifyBundle(file, options = {}) {
  const { header, checkpoints } = await readHeaderAndCheckpoints(file);
  const tenantId = header.tenantId;
  const pinned = (options.publicKeys ?? []).length > 0;
  const keys = new Map(
    (pinned ? options.publicKeys : header.publicKeys.map((entry) => entry.publicKey)).map((base64) => {
      const { keyId, key } = publicKey(base64);
      return [keyId, key];
    }),
  );
  for (const kept of options.checkpoints ?? [])
    checkpoints.push({
      ...kept,
      eventId: kept.eventId ?? '(kept by the auditor)',
      streamId: kept.streamId ?? '',
      revision: kept.revision ?? '',
    });
  const unsigned = new Map();
  const trusted = [];
  for (const checkpoint of checkpoints)
    if (signatureHolds(keys, tenantId, checkpoint)) trusted.push(checkpoint);
    else unsigned.set(checkpoint.eventId, checkpoint);
  trusted.sort((a, b) => a.treeSize - b.treeSize);

  // Pass 2: every event in log order.
  const streams = new Map();
  const tree = new Tree();
  let checked = 0;
  let next = 0;
  let matchedUpTo = 0;
  let firstBreak = null;
  let gap = null; // a missing revision: deleted, or found later (reordered)
  let settled = false; // nothing more to learn from the rest of the log
  const at = (streamId, eventId, problem, revision) => {
    firstBreak = { streamId, eventId, revision: String(revision), problem };
  };
  const atCheckpoint = (checkpoint, problem) => {
    firstBreak = {
      streamId: checkpoint.streamId,
      eventId: checkpoint.eventId,
      revision: String(checkpoint.revision),
      problem,
      treeSize: checkpoint.treeSize,
      matchedUpTo,
    };
  };
  const check = (fields, leaves, offset) => {
    const [streamId, revisionText, eventId, previousHash, hash, version, eventTenant, hashHolds] = fields;
    if (gap) {
      if (streamId === gap.streamId && revisionText === gap.revision) {
        firstBreak = { ...firstBreak, eventId, problem: 'reordered' };
        settled = true;
      }
      return;
    }
    checked += 1;
    const previous = streams.get(streamId);
    const expected = previous ? previous.revision + 1n : 0n;
    const revision = BigInt(revisionText);
    if (revision < expected) at(streamId, eventId, 'reordered', revision);
    else if (revision > expected) {
      at(streamId, eventId, 'missing', expected);
      gap = { streamId, revision: expected.toString() };
      return;
    } else if (previousHash !== (previous ? previous.hash : null))
      at(streamId, eventId, 'broken-link', revision);
    else if ((version !== 1 && version !== 2) || (previous && version < previous.version))
      at(streamId, eventId, 'tampered', revision);
    else if (eventTenant !== tenantId) at(streamId, eventId, 'tampered', revision);
    else if (!hashHolds) at(streamId, eventId, 'tampered', revision);
    else if (unsigned.has(eventId)) atCheckpoint(unsigned.get(eventId), 'checkpoint-signature');
    if (firstBreak) {
      settled = true;
      return;
    }
    streams.set(streamId, { revision, hash, version });
    tree.add(leaves, offset);
    for (; next < trusted.length && trusted[next].treeSize === tree.size; next += 1) {
      if (tree.root().toString('hex') !== trusted[next].rootHash) {
        atCheckpoint(trusted[next], 'checkpoint-mismatch');
        settled = true;
        return;
      }
      matchedUpTo = tree.size;
    }
  };

  const threads = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
  const pool = hashingPool(threads);
  const inFlight = [];
  const settleOldest = async () => {
    const result = await inFlight.shift();
    if (result.error) throw new Error(`a line of the bundle is not JSON (${result.error})`);
    // The packed leaves arrive as a Uint8Array: one Buffer view over them for the whole piece.
    const leaves = Buffer.from(result.leaves.buffer, result.leaves.byteOffset, result.leaves.byteLength);
    for (let i = 0; i < result.events.length && !settled; i += 1) check(result.events[i], leaves, i * 32);
  };
  try {
    let seq = 0;
    let first = true;
    for await (let bytes of pieces(file)) {
      if (first) {
        first = false;
        const end = bytes.indexOf(10);
        if (end < 0) continue;
        bytes = Buffer.from(bytes.subarray(end + 1));
      }
      inFlight.push(pool.hash(seq++, bytes));
      while (inFlight.length >= threads * 2 && !settled) await settleOldest();
      if (settled) break;
    }
    while (inFlight.length && !settled) await settleOldest();
  } finally {
    await pool.close();
  }
  if (!firstBreak && next < trusted.length) atCheckpoint(trusted[next], 'checkpoint-truncated');
  return {
    ok: firstBreak === null,
    tenantId,
    eventsChecked: checked,
    streamsChecked: streams.size,
    checkpointsChecked: next,
    treeSize: tree.size,
    rootHash: tree.root().toString('hex'),
    keys: pinned ? 'pinned by the auditor' : "the bundle's own (pin them with --public-key)",
    firstBreak,
  };
}

module.exports = { verifyBundle };
