'use strict';
// The parallel part of verification (docs/audit-proofs.md §2, §3): parse each event and recompute its
// chain hash and leaf hash. The order-dependent checks stay in the main thread.
const { parentPort } = require('node:worker_threads');
const { eventHash, leafHash } = require('./hashes');

parentPort.on('message', ({ seq, bytes }) => {
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split('\n');
  const events = [];
  const leaves = [];
  try {
    for (let i = 0; i < lines.length; i += 1) {
      if (lines[i] === '') continue;
      let event;
      try {
        event = JSON.parse(lines[i]);
      } catch (error) {
        throw new Error(`${error.message} in: ${lines[i].slice(0, 80)}`);
      }
      const metadata = event.metadata ?? {};
      events.push([
        String(event.streamId),
        String(event.streamRevision),
        String(event.eventId),
        metadata.previousHash ?? null,
        metadata.hash ?? null,
        metadata.hashVersion ?? 1,
        metadata.tenantId,
        // Compared here: a boolean crosses to the main thread cheaper than the recomputed hash.
        eventHash(event) === (metadata.hash ?? null),
      ]);
      leaves.push(leafHash(event));
    }
    const packed = Buffer.concat(leaves);
    parentPort.postMessage({ seq, events, leaves: packed }, [packed.buffer]);
  } catch (error) {
    parentPort.postMessage({ seq, error: error.message });
  }
});
