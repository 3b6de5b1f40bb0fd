import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/** What a checkpoint signs (docs/audit-proofs.md, "Checkpoints"). */
export interface CheckpointBody {
  tenantId: string;
  treeSize: number;
  rootHash: string;
  signedAt: string;
  keyId: string;
}

export interface PublicKeyEntry {
  keyId: string;
  algorithm: 'Ed25519';
  /** The raw 32-byte public key, base64. */
  publicKey: string;
  current: boolean;
}

// DER prefixes of an Ed25519 PKCS#8 private key and SPKI public key (RFC 8410), before the 32 bytes.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The bytes signed: RFC 8785 canonical JSON of the body with its kind. */
export function checkpointMessage(body: CheckpointBody): Buffer {
  return Buffer.from(canonicalize({ kind: 'verity-audit-checkpoint/1', ...body }), 'utf8');
}

/** A key's id: the first 16 hex digits of SHA-256 of its raw public key. */
export const keyIdOf = (rawPublicKey: Buffer) =>
  createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);

const publicKeyObject = (raw: Buffer): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });

/**
 * Signs checkpoints with the key from configuration (held in memory only, never written to the
 * database) and checks them against the current and the retired public keys.
 */
export class CheckpointSigner {
  private readonly privateKey: KeyObject;
  readonly keyId: string;
  private readonly keys = new Map<string, { object: KeyObject; entry: PublicKeyEntry }>();

  /** `seed`: the 32-byte Ed25519 seed in base64; `retired`: raw public keys in base64. */
  constructor(seed: string, retired: readonly string[] = []) {
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seed, 'base64')]),
      format: 'der',
      type: 'pkcs8',
    });
    const raw = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' }).subarray(12);
    this.keyId = keyIdOf(raw);
    const add = (rawKey: Buffer, current: boolean) => {
      const keyId = keyIdOf(rawKey);
      if (!this.keys.has(keyId))
        this.keys.set(keyId, {
          object: publicKeyObject(rawKey),
          entry: { keyId, algorithm: 'Ed25519', publicKey: rawKey.toString('base64'), current },
        });
    };
    add(raw, true);
    for (const key of retired) add(Buffer.from(key, 'base64'), false);
  }

  sign(body: Omit<CheckpointBody, 'keyId'>): { keyId: string; signature: string } {
    const signature = sign(null, checkpointMessage({ ...body, keyId: this.keyId }), this.privateKey);
    return { keyId: this.keyId, signature: signature.toString('base64') };
  }

  verify(body: CheckpointBody, signature: string): boolean {
    const key = this.keys.get(body.keyId);
    if (!key) return false;
    try {
      return verify(null, checkpointMessage(body), key.object, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }

  publicKeys(): PublicKeyEntry[] {
    return [...this.keys.values()].map(({ entry }) => entry);
  }
}
