import type { Position as LogPosition } from '@kurrent/kurrentdb-client';
import { InvalidPosition } from '../errors';
import { START } from '../event-store.port';

/** Each half of a KurrentDB position is an unsigned 64-bit offset in the transaction log. */
const HALF = 1n << 64n;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * KurrentDB orders `$all` by (commit, prepare); `commit * 2^64 + prepare` keeps that order in one
 * decimal integer, so positions sort the same in a `numeric` column and decode back exactly.
 */
export function encodePosition(position: LogPosition): string {
  const { commit, prepare } = position;
  if (commit < 0n || commit >= HALF || prepare < 0n || prepare >= HALF) {
    throw new RangeError(`KurrentDB position out of range: commit ${commit}, prepare ${prepare}`);
  }
  return (commit * HALF + prepare).toString(10);
}

/** The inverse of `encodePosition`; `START` decodes to (0, 0). Throws InvalidPosition for anything else. */
export function decodePosition(position: string): LogPosition {
  if (typeof position !== 'string' || !DECIMAL.test(position)) throw new InvalidPosition(String(position));
  const value = BigInt(position);
  if (value >= HALF * HALF) throw new InvalidPosition(position);
  return { commit: value / HALF, prepare: value % HALF };
}

/** Negative, zero or positive as `a` comes before, at or after `b` in `$all`. */
export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `START` as a log position: no event sits at (0, 0), the log opens with an epoch record there. */
export const START_POSITION: LogPosition = decodePosition(START);
