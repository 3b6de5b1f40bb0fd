import { InvalidPosition } from '../errors';

// A PostgreSQL position is the pair (transaction id, global position); it is handed out as one
// decimal integer, transactionId * 10^19 + globalPosition, so read models can store it in a
// `numeric` column and order by it (global_position, a bigint, stays below 10^19).
const SCALE = 10n ** 19n;
/** The column types' ranges: `xid8` is unsigned 64-bit, `global_position` a signed `bigint`. */
const MAX_TRANSACTION_ID = 2n ** 64n - 1n;
const MAX_GLOBAL_POSITION = 2n ** 63n - 1n;

export interface PostgresPosition {
  transactionId: bigint;
  globalPosition: bigint;
}

export function encodePosition(transactionId: string | bigint, globalPosition: string | bigint): string {
  const transaction = String(transactionId);
  // transactionId * 10^19 + globalPosition, written out without arithmetic. Event reads have PostgreSQL
  // write it the same way (EVENT_COLUMNS in event-rows.ts): a change here is a change there.
  if (transaction === '0') return String(globalPosition);
  return transaction + String(globalPosition).padStart(19, '0');
}

export function decodePosition(position: string | undefined): PostgresPosition {
  if (position === undefined) return { transactionId: 0n, globalPosition: 0n };
  if (typeof position !== 'string' || !/^\d{1,40}$/.test(position))
    throw new InvalidPosition(String(position));
  const value = BigInt(position);
  const decoded = { transactionId: value / SCALE, globalPosition: value % SCALE };
  // Out of the columns' range, PostgreSQL would fail the read itself (an error, not "no events").
  if (decoded.transactionId > MAX_TRANSACTION_ID || decoded.globalPosition > MAX_GLOBAL_POSITION)
    throw new InvalidPosition(position);
  return decoded;
}
