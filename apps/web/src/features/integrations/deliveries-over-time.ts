import type { Delivery } from './queries';

/** A delivery as the chart needs it: when it was scheduled and how it stands. */
export type DeliveryMoment = Pick<Delivery, 'createdAt' | 'status'>;

export interface DeliveryBucket {
  /** The bucket's start, `YYYY-MM-DD HH:mm` (UTC). */
  at: string;
  succeeded: number;
  pending: number;
  dead: number;
}

/**
 * The deliveries counted per time bucket and status, oldest first: per minute while the log spans
 * at most two hours (a receiver being tried out), per hour beyond (UTC, as the log's times are).
 */
export function deliveriesOverTime(deliveries: readonly DeliveryMoment[]): DeliveryBucket[] {
  if (deliveries.length === 0) return [];
  const times = deliveries.map((d) => Date.parse(d.createdAt));
  const span = Math.max(...times) - Math.min(...times);
  const width = span <= 2 * 3600_000 ? 16 : 13; // `YYYY-MM-DDTHH:mm` or `YYYY-MM-DDTHH`
  const buckets = new Map<string, DeliveryBucket>();
  for (const delivery of deliveries) {
    const key = new Date(delivery.createdAt).toISOString().slice(0, width);
    const at = (width === 13 ? `${key}:00` : key).replace('T', ' ');
    const bucket = buckets.get(at) ?? { at, succeeded: 0, pending: 0, dead: 0 };
    bucket[delivery.status] += 1;
    buckets.set(at, bucket);
  }
  return [...buckets.values()].sort((a, b) => a.at.localeCompare(b.at));
}
