import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { EventMetadata, RecordedEvent } from './event-store.port';

/**
 * The hash chain (DESIGN.md "Hash chain"): each event's `hash` covers its content, its place in
 * the stream and its recorded time, and links to the previous event's hash, so changing, removing,
 * reordering or back-dating a stored event breaks the chain from there on.
 *
 *   contentHash = sha256(RFC 8785 canonical JSON of { streamId, eventId, type, data, metadata })
 *   hash (v2)   = sha256(`${previousHash ?? ''}|${streamRevision}|${contentHash}|${recordedAt ISO}`)
 *   hash (v1)   = sha256(`${previousHash ?? ''}|${streamRevision}|${contentHash}`)
 *
 * Version 2 (`metadata.hashVersion: 2`, infra/migrations/0700) is what PostgreSQL writes; version 1
 * is what it wrote before, and what the KurrentDB adapter writes (the server sets the time after
 * the hash is computed). `metadata` in the content hash is without the store's own fields.
 *
 * The content hash is computed by the writer before the append; the link is computed by the
 * store under the stream's lock (the PostgreSQL adapter does it in SQL), because only there are
 * the previous hash and the revision known for certain.
 */
export interface HashedContent {
  streamId: string;
  eventId: string;
  type: string;
  data: unknown;
  /** Without `previousHash` and `hash`. */
  metadata: EventMetadata;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function contentHash(content: HashedContent): string {
  const { previousHash: _previous, hash: _hash, hashVersion: _version, ...metadata } = content.metadata;
  return sha256(
    canonicalize({
      streamId: content.streamId,
      eventId: content.eventId.toLowerCase(),
      type: content.type,
      data: content.data,
      metadata,
    }),
  );
}

/**
 * `contentHash` of an event whose data and metadata are canonical JSON already (validation writes
 * them, metadata without the store's fields): the same text, without serialising the event again.
 * The members in RFC 8785 order: data, eventId, metadata, streamId, type.
 */
export function contentHashOfCanonical(
  streamId: string,
  eventId: string,
  type: string,
  dataJson: string,
  metadataJson: string,
): string {
  return sha256(
    `{"data":${dataJson},"eventId":${JSON.stringify(eventId.toLowerCase())},"metadata":${metadataJson},` +
      `"streamId":${JSON.stringify(streamId)},"type":${JSON.stringify(type)}}`,
  );
}

export function linkHash(
  previousHash: string | null,
  streamRevision: bigint,
  content: string,
  recordedAt?: Date,
): string {
  const link = `${previousHash ?? ''}|${streamRevision}|${content}`;
  return sha256(recordedAt ? `${link}|${recordedAt.toISOString()}` : link);
}

/** What a stored event's `hash` must be, recomputed from the event as read, by its own hash version. */
export function eventHash(event: RecordedEvent): string {
  return linkHash(
    event.metadata.previousHash ?? null,
    event.streamRevision,
    contentHash(event),
    event.metadata.hashVersion === 2 ? event.recordedAt : undefined,
  );
}
