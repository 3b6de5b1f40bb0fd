import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * How one event's `pii` is stored (docs/adr/0115-crypto-shredding.md): AES-256-GCM under the data key
 * of the person it is about, bound to the event's id so a ciphertext cannot be moved to another event.
 * Everything else in the event stays readable, so projections, the audit trail and the hash chain
 * (which covers exactly these stored bytes) work without any key.
 */
export interface SealedPii {
  /** Format version of the envelope. */
  sealed: 1;
  /** Whose key: an employee id (or, for words about no one else, the writer's id). Not personal data. */
  subject: string;
  keyId: string;
  /** base64: the 12-byte nonce. */
  nonce: string;
  /** base64: ciphertext of the JSON text followed by the 16-byte tag. */
  ciphertext: string;
}

/** What a reader sees where `pii` was, once its subject's key is destroyed. */
export const ERASED_PII = Object.freeze({ erased: true as const });
export type ErasedPii = typeof ERASED_PII;

export const isSealedPii = (value: unknown): value is SealedPii =>
  !!value &&
  typeof value === 'object' &&
  (value as SealedPii).sealed === 1 &&
  typeof (value as SealedPii).keyId === 'string' &&
  typeof (value as SealedPii).ciphertext === 'string';

export const isErasedPii = (value: unknown): value is ErasedPii =>
  !!value &&
  typeof value === 'object' &&
  (value as ErasedPii).erased === true &&
  Object.keys(value).length === 1;

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** 341 nonces per draw: one call into the CSPRNG per block instead of one per sealed event (ADR 0177). */
const NONCE_BLOCK_BYTES = NONCE_BYTES * 341;
let nonceBlock = Buffer.alloc(0);
let nonceOffset = 0;

/**
 * A fresh 12-byte GCM nonce. What GCM needs is that no nonce repeats under a key: each comes from
 * bytes of the operating system's CSPRNG handed out once. A spent block is replaced, never refilled
 * in place, so a nonce returned earlier (a view into its block) never changes.
 */
function nextNonce(): Buffer {
  if (nonceOffset + NONCE_BYTES > nonceBlock.length) {
    nonceBlock = randomBytes(NONCE_BLOCK_BYTES);
    nonceOffset = 0;
  }
  const nonce = nonceBlock.subarray(nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return nonce;
}

export function sealPii(
  plain: unknown,
  key: { keyId: string; key: Buffer; subject: string },
  eventId: string,
): SealedPii {
  const nonce = nextNonce();
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(Buffer.from(eventId.toLowerCase(), 'utf8'));
  const body = Buffer.concat([
    cipher.update(JSON.stringify(plain), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return {
    sealed: 1,
    subject: key.subject,
    keyId: key.keyId,
    nonce: nonce.toString('base64'),
    ciphertext: body.toString('base64'),
  };
}

/** Throws when the ciphertext or its binding to the event was changed (GCM authentication fails). */
export function openPii(sealed: SealedPii, key: Buffer, eventId: string): unknown {
  const body = Buffer.from(sealed.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'));
  decipher.setAAD(Buffer.from(eventId.toLowerCase(), 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  const text = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  return JSON.parse(text.toString('utf8'));
}

/** Envelope encryption: a data key wrapped by the master key (nonce | ciphertext | tag). */
export function wrapKey(dataKey: Buffer, masterKey: Buffer, aad: string): Buffer {
  const nonce = nextNonce();
  const cipher = createCipheriv('aes-256-gcm', masterKey, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapKey(wrapped: Buffer, masterKey: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', masterKey, wrapped.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES)),
    decipher.final(),
  ]);
}
