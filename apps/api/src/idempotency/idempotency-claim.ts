import { AsyncLocalStorage } from 'node:async_hooks';
import type { KeyOwner } from './idempotency.repository';

/**
 * The `Idempotency-Key` claim a request holds while its handler runs (docs/adr/0155). The command
 * path reads it to record the answer inside the append's transaction, and marks it `answered`
 * when the store did; the interceptor then has nothing left to record.
 */
export interface OpenClaim {
  owner: KeyOwner;
  key: string;
  answered: boolean;
}

// A request's handler is called from the interceptor through the command bus and the executor;
// passing the claim down that chain by hand would touch every handler in between.
const claims = new AsyncLocalStorage<OpenClaim>();

export function runHoldingClaim<T>(claim: OpenClaim, work: () => Promise<T>): Promise<T> {
  return claims.run(claim, work);
}

/** The claim of the request being handled, if it sent an `Idempotency-Key`. */
export function openClaim(): OpenClaim | undefined {
  return claims.getStore();
}
