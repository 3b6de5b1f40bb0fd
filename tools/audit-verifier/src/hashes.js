'use strict';
// Hashes of docs/audit-proofs.md: the chain hash (§2) and the Merkle leaf (§3).
const { createHash } = require('node:crypto');
const { canonicalize } = require('json-canonicalize');

const LEAF = Buffer.from([0]);
const sha256hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

function eventHash(event) {
  const { previousHash, hash: _hash, hashVersion, ...metadata } = event.metadata ?? {};
  const content = sha256hex(
    canonicalize({
      streamId: event.streamId,
      eventId: String(event.eventId).toLowerCase(),
      type: event.type,
      data: event.data,
      metadata,
    }),
  );
  const link = `${previousHash ?? ''}|${event.streamRevision}|${content}`;
  return sha256hex(hashVersion === 2 ? `${link}|${event.recordedAt}` : link);
}

function leafHash(event) {
  // Every value is a string (or null) and the keys are written in sorted order, so JSON.stringify
  // gives exactly the RFC 8785 form here (RFC 8785 §3.2.2.2 takes ECMAScript's string escaping), at a
  // fraction of a general canonicalizer's cost.
  const hash = event.metadata?.hash;
  const leaf = JSON.stringify({
    eventId: String(event.eventId).toLowerCase(),
    hash: typeof hash === 'string' ? hash : null,
    recordedAt: String(event.recordedAt),
    streamId: String(event.streamId),
    streamRevision: String(event.streamRevision),
  });
  return createHash('sha256').update(LEAF).update(leaf, 'utf8').digest();
}

module.exports = { eventHash, leafHash };
