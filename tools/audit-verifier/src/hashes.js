'use strict';
// Hashes of docs/audit-proofs.md: the chain hash (§2) and the Merkle leaf (§3).
const crypto = require('node:crypto');
const { canonical } = require('./canonical');

const LEAF = Buffer.from([0]);
// One-shot hashing where Node has it (20.12+): no Hash object per call, which counts at a million events.
const sha256hex =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

function eventHash(event) {
  const { previousHash, hash: _hash, hashVersion, ...metadata } = event.metadata ?? {};
  const content = sha256hex(
    canonical({
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
  return crypto.createHash('sha256').update(LEAF).update(leaf, 'utf8').digest();
}

module.exports = { eventHash, leafHash };
