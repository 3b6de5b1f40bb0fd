import type { AppendOptions, AppendRequest, NewEvent } from './event-store.port';
import { InvalidEvent } from './errors';
import { checkTenantId } from './tenant-id';

/** Largest serialised data + metadata of one event. */
export const MAX_EVENT_BYTES = 1024 * 1024;
const MAX_STREAM_ID_LENGTH = 200;
const MAX_EVENTS_PER_APPEND = 10_000;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex
const NUL_OR_SURROGATE = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Fields of metadata that only the store writes.
const STORE_FIELDS = ['previousHash', 'hash', 'hashVersion'] as const;

/** An event checked and serialised once, ready for an adapter. */
export interface PreparedEvent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: NewEvent['metadata'];
  /** RFC 8785 canonical JSON: the text stored, and the text the content hash covers (hash-chain.ts). */
  dataJson: string;
  metadataJson: string;
}

/**
 * Checks an append before anything is sent: stream name, ids, types, metadata, JSON-serialisable
 * data, size. Throws InvalidEvent naming the field and the rule; returns the events serialised.
 */
export function prepareAppend(streamId: string, events: NewEvent[], options: AppendOptions): PreparedEvent[] {
  checkStreamId(streamId);
  checkExpectedRevision(options?.expectedRevision);
  checkListSize('events', events, MAX_EVENTS_PER_APPEND, 'events per append');
  const seen = new Set<string>();
  const tenants = new Set<string>();
  const prepared = events.map((event, index) => {
    try {
      return prepareEvent(event, seen, tenants);
    } catch (error) {
      throw below(`events[${index}]`, error);
    }
  });
  if (tenants.size > 1) throw new InvalidEvent('events', 'must all belong to one tenant');
  return prepared;
}

/**
 * One event of an append, checked and serialised. Faults name their field from the event (`.type`,
 * `.data.goals[2].text`): the caller puts the event's place in front, so no path text is built for
 * an event that has none (docs/adr/0184).
 */
function prepareEvent(event: NewEvent, seen: Set<string>, tenants: Set<string>): PreparedEvent {
  if (typeof event !== 'object' || event === null) throw new InvalidEvent('', 'must be an object');
  if (typeof event.eventId !== 'string' || !UUID.test(event.eventId))
    throw new InvalidEvent('.eventId', 'must be a uuid');
  const eventId = event.eventId.toLowerCase();
  if (seen.has(eventId)) throw new InvalidEvent('.eventId', 'must be unique within an append');
  seen.add(eventId);
  if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type))
    throw new InvalidEvent('.type', 'must match [A-Za-z][A-Za-z0-9_.-]{0,99}');
  let dataJson: string;
  let metadataJson: string;
  try {
    dataJson = canonicalJson(event.data);
  } catch (error) {
    throw below('.data', error);
  }
  try {
    metadataJson = checkMetadata(event.metadata);
  } catch (error) {
    throw below('.metadata', error);
  }
  tenants.add(event.metadata.tenantId);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most events need no byte count.
  const units = dataJson.length + metadataJson.length;
  if (
    units * 3 > MAX_EVENT_BYTES &&
    Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson) > MAX_EVENT_BYTES
  )
    throw new InvalidEvent('', `must serialise to at most ${MAX_EVENT_BYTES} bytes`);
  return { eventId, type: event.type, data: event.data, metadata: event.metadata, dataJson, metadataJson };
}

/** A fault found below `place`, named from there: `below('.data', fault)` names `.text` `.data.text`. */
function below(place: string, fault: unknown): unknown {
  return fault instanceof InvalidEvent ? new InvalidEvent(`${place}${fault.field}`, fault.rule) : fault;
}

/** A stream's part of many appends, checked and serialised. */
export interface PreparedAppend extends AppendRequest {
  prepared: PreparedEvent[];
}

const MAX_STREAMS_PER_CALL = 1_000;

/** A call's list: an array, not empty, at most `max` long (`what` names the unit in the message). */
function checkListSize(field: string, list: unknown, max: number, what: string): void {
  if (!Array.isArray(list) || list.length === 0) throw new InvalidEvent(field, 'must be a non-empty array');
  if (list.length > max) throw new InvalidEvent(field, `at most ${max} ${what}`);
}

/**
 * Checks every part of an `appendToStreams` call before anything is sent (fields are named
 * `requests[i]…`); the streams must be distinct and the events at most as many as one append's.
 */
export function prepareAppends(requests: AppendRequest[]): PreparedAppend[] {
  checkListSize('requests', requests, MAX_STREAMS_PER_CALL, 'streams per call');
  const streams = new Set<string>();
  const ids = new Set<string>();
  let total = 0;
  return requests.map((request, index) => {
    const at = `requests[${index}]`;
    if (typeof request !== 'object' || request === null) throw new InvalidEvent(at, 'must be an object');
    let prepared: PreparedEvent[];
    try {
      prepared = prepareAppend(request.streamId, request.events, {
        expectedRevision: request.expectedRevision,
      });
    } catch (error) {
      throw below(`${at}.`, error);
    }
    if (streams.has(request.streamId))
      throw new InvalidEvent(`${at}.streamId`, 'must be unique within a call');
    streams.add(request.streamId);
    prepared.forEach((event, position) => {
      if (ids.has(event.eventId))
        throw new InvalidEvent(`${at}.events[${position}].eventId`, 'must be unique within a call');
      ids.add(event.eventId);
    });
    total += prepared.length;
    if (total > MAX_EVENTS_PER_APPEND)
      throw new InvalidEvent('requests', `at most ${MAX_EVENTS_PER_APPEND} events per call`);
    return { ...request, prepared };
  });
}

/** Checks a `readStreams` call; returns the distinct stream ids. */
export function checkReadStreams(
  streamIds: string[],
  { maxCount }: { maxCount?: number },
): { ids: string[]; maxCount?: number } {
  if (!Array.isArray(streamIds)) throw new InvalidEvent('streamIds', 'must be an array');
  streamIds.forEach((streamId) => checkStreamId(streamId));
  if (maxCount !== undefined) checkMaxCount(maxCount);
  return { ids: [...new Set(streamIds)], maxCount };
}

export function checkMaxCount(maxCount: number): void {
  if (!Number.isInteger(maxCount) || maxCount < 1)
    throw new InvalidEvent('maxCount', 'must be an integer >= 1');
}

export function checkStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length === 0)
    throw new InvalidEvent('streamId', 'must be a non-empty string');
  if (streamId.length > MAX_STREAM_ID_LENGTH)
    throw new InvalidEvent('streamId', `must be at most ${MAX_STREAM_ID_LENGTH} characters`);
  if (streamId.startsWith('$')) throw new InvalidEvent('streamId', 'must not start with $ (system streams)');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(streamId) || streamId.trim() !== streamId)
    throw new InvalidEvent('streamId', 'must not contain control characters or surrounding spaces');
}

function checkExpectedRevision(expected: unknown): void {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected === 'bigint' && expected >= 0n) return;
  throw new InvalidEvent(
    'expectedRevision',
    "must be a revision (bigint >= 0), 'no_stream', 'stream_exists' or 'any'",
  );
}

/** Checks the metadata a caller may set; returns its canonical JSON. Faults name fields from the metadata. */
function checkMetadata(metadata: NewEvent['metadata']): string {
  if (!isPlainObject(metadata)) throw new InvalidEvent('', 'must be an object');
  const text = (field: string, value: unknown) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > 200)
      throw new InvalidEvent(`.${field}`, 'must be a non-empty string of at most 200 characters');
  };
  text('tenantId', metadata.tenantId);
  checkTenantId(metadata.tenantId, '.tenantId');
  if (!isPlainObject(metadata.actor)) throw new InvalidEvent('.actor', 'must be { id, role }');
  text('actor.id', metadata.actor.id);
  text('actor.role', metadata.actor.role);
  text('correlationId', metadata.correlationId);
  if (metadata.causationId !== null) text('causationId', metadata.causationId);
  if (!Number.isInteger(metadata.schemaVersion) || metadata.schemaVersion < 1)
    throw new InvalidEvent('.schemaVersion', 'must be an integer >= 1');
  for (const field of STORE_FIELDS)
    if (field in metadata) throw new InvalidEvent(`.${field}`, 'is set by the store, not by the caller');
  return canonicalJson(metadata);
}

/**
 * Plain JSON only: what goes in must come out equal, so the hash chain holds after a round trip
 * through jsonb. Checked in the same walk that writes the value as RFC 8785 canonical JSON (keys
 * sorted by UTF-16 code units, strings and numbers as JSON.stringify writes them): that text is
 * stored and is what the content hash covers, so an event is serialised once (docs/adr/0173).
 * Properties whose value is `undefined` are dropped and array holes written as null, as
 * JSON.stringify does: the text is the value a reader gets back. Faults are found in the caller's
 * property order, before the keys are sorted, and name their field from `value` (`.goals[2].text`,
 * `` for the value itself): each level puts its own step in front on the way out, so a value
 * without faults builds no path text (docs/adr/0184).
 */
function canonicalJson(value: unknown, depth = 0, ancestors = new Set<object>()): string {
  if (depth > 64) throw new InvalidEvent('', 'must nest at most 64 levels');
  switch (typeof value) {
    case 'string':
      // jsonb refuses NUL; a lone surrogate would not survive the round trip. One cheap test first:
      // most strings have neither a NUL nor any surrogate.
      if (NUL_OR_SURROGATE.test(value)) {
        // eslint-disable-next-line no-control-regex
        if (/\u0000/.test(value)) throw new InvalidEvent('', 'must not contain NUL characters');
        if (LONE_SURROGATE.test(value)) throw new InvalidEvent('', 'must be well-formed Unicode');
      }
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidEvent('', 'must be a finite number');
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (ancestors.has(value)) throw new InvalidEvent('', 'must not be circular');
      ancestors.add(value);
      const text = Array.isArray(value)
        ? canonicalArray(value, depth, ancestors)
        : canonicalObject(value, depth, ancestors);
      ancestors.delete(value);
      return text;
    }
    default:
      throw new InvalidEvent('', `must be JSON-serialisable (found ${typeof value})`);
  }
}

function canonicalArray(value: unknown[], depth: number, ancestors: Set<object>): string {
  const items = new Array<string>(value.length);
  for (let index = 0; index < value.length; index++) {
    if (!(index in value)) {
      items[index] = 'null';
      continue;
    }
    const item = value[index];
    if (item === undefined) throw new InvalidEvent(`[${index}]`, 'must not be undefined');
    try {
      items[index] = canonicalJson(item, depth + 1, ancestors);
    } catch (error) {
      throw below(`[${index}]`, error);
    }
  }
  return `[${items.join(',')}]`;
}

function canonicalObject(value: object, depth: number, ancestors: Set<object>): string {
  if (!isPlainObject(value))
    throw new InvalidEvent('', 'must be plain JSON (no Date, Map or class instances)');
  const keys: string[] = [];
  const texts: string[] = [];
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === undefined) continue;
    keys.push(key);
    try {
      texts.push(canonicalJson(item, depth + 1, ancestors));
    } catch (error) {
      throw below(`.${key}`, error);
    }
  }
  // Code unit order (RFC 8785 section 3.2.3), as `<` compares strings: an insertion sort of the
  // pairs, as fast as it gets for the few keys of an event's objects; many keys take a sort by index.
  let order: number[] | undefined;
  if (keys.length > 16) order = keys.map((_, index) => index).sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
  else
    for (let i = 1; i < keys.length; i++) {
      const key = keys[i];
      const keyText = texts[i];
      let j = i - 1;
      for (; j >= 0 && keys[j] > key; j--) {
        keys[j + 1] = keys[j];
        texts[j + 1] = texts[j];
      }
      keys[j + 1] = key;
      texts[j + 1] = keyText;
    }
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const member = order ? order[i] : i;
    text += `${i ? ',' : ''}${JSON.stringify(keys[member])}:${texts[member]}`;
  }
  return `${text}}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> & NewEvent['metadata'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
