'use strict';
// The offline verifier of docs/audit-proofs.md, written from that document alone: it shares no code
// with the server. Node's crypto does SHA-256 and Ed25519; json-canonicalize does RFC 8785.
const { createHash, createPublicKey, verify: verifySignature } = require('node:crypto');
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
const { canonicalize } = require('json-canonicalize');

const CHECKPOINT_TYPE = 'AuditCheckpointSigned';
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

const sha256hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const nodeHash = (left, right) => createHash('sha256').update(NODE).update(left).update(right).digest();

function lines(file) {
  return createInterface({ input: createReadStream(file), crlfDelay: Infinity });
}

/** RFC 9162 tree root, fed leaf by leaf: the roots of the full subtrees on the right edge. */
class Tree {
  constructor() {
    this.frontier = [];
    this.size = 0;
  }
  add(leaf) {
    let node = leaf;
    for (let n = this.size; n & 1; n >>= 1) node = nodeHash(this.frontier.pop(), node);
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

function eventHash(event) {
  const { previousHash, hash, hashVersion, ...metadata } = event.metadata;
  const content = sha256hex(
    canonicalize({
      streamId: event.streamId,
      eventId: event.eventId.toLowerCase(),
      type: event.type,
      data: event.data,
      metadata,
    }),
  );
  const link = `${previousHash ?? ''}|${event.streamRevision}|${content}`;
  return sha256hex(hashVersion === 2 ? `${link}|${event.recordedAt}` : link);
}

function leafHash(event) {
  return createHash('sha256')
    .update(LEAF)
    .update(
      canonicalize({
        eventId: event.eventId.toLowerCase(),
        hash: event.metadata.hash ?? null,
        recordedAt: event.recordedAt,
        streamId: event.streamId,
        streamRevision: event.streamRevision,
      }),
      'utf8',
    )
    .digest();
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

/**
 * Verifies a bundle file. `options.publicKeys`: the keys the auditor trusts (base64); without them,
 * the bundle's own header keys are used (and the report says so). `options.checkpoints`: checkpoints
 * the auditor kept from earlier, checked like those in the log.
 */
async function verifyBundle(file, options = {}) {
  // Pass 1: the header and the checkpoints (each signs a size the log reaches before it).
  let header = null;
  const checkpoints = [];
  for await (const line of lines(file)) {
    if (header === null) {
      header = JSON.parse(line);
      if (header.format !== 'verity-audit-bundle/1') throw new Error('not a verity-audit-bundle/1 file');
      continue;
    }
    if (!line.includes(CHECKPOINT_TYPE)) continue;
    const event = JSON.parse(line);
    if (event.type === CHECKPOINT_TYPE)
      checkpoints.push({
        ...event.data,
        eventId: event.eventId,
        streamId: event.streamId,
        revision: event.streamRevision,
      });
  }
  if (header === null) throw new Error('the bundle is empty');
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
  const at = (event, problem, revision = event.streamRevision) => {
    firstBreak = { streamId: event.streamId, eventId: event.eventId, revision: String(revision), problem };
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
  let first = true;
  for await (const line of lines(file)) {
    if (first) {
      first = false;
      continue;
    }
    if (line === '') continue;
    const event = JSON.parse(line);
    if (gap) {
      if (event.streamId === gap.streamId && event.streamRevision === gap.revision) {
        firstBreak = { ...firstBreak, eventId: event.eventId, problem: 'reordered' };
        break;
      }
      continue;
    }
    checked += 1;
    const previous = streams.get(event.streamId);
    const expected = previous ? previous.revision + 1n : 0n;
    const revision = BigInt(event.streamRevision);
    const version = event.metadata.hashVersion ?? 1;
    if (revision < expected) at(event, 'reordered');
    else if (revision > expected) {
      at(event, 'missing', expected);
      gap = { streamId: event.streamId, revision: expected.toString() };
      continue;
    } else if ((event.metadata.previousHash ?? null) !== (previous ? previous.hash : null))
      at(event, 'broken-link');
    else if ((version !== 1 && version !== 2) || (previous && version < previous.version))
      at(event, 'tampered');
    else if (event.metadata.tenantId !== tenantId) at(event, 'tampered');
    else if (eventHash(event) !== event.metadata.hash) at(event, 'tampered');
    else if (unsigned.has(event.eventId)) atCheckpoint(unsigned.get(event.eventId), 'checkpoint-signature');
    if (firstBreak) break;
    streams.set(event.streamId, { revision, hash: event.metadata.hash, version });
    tree.add(leafHash(event));
    for (; next < trusted.length && trusted[next].treeSize === tree.size; next += 1) {
      if (tree.root().toString('hex') !== trusted[next].rootHash) {
        atCheckpoint(trusted[next], 'checkpoint-mismatch');
        break;
      }
      matchedUpTo = tree.size;
    }
    if (firstBreak) break;
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
