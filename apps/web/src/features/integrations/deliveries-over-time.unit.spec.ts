import { deliveriesOverTime } from './deliveries-over-time';

describe('deliveriesOverTime: the delivery log counted per time bucket and status', () => {
  it.each([
    [
      'counts per minute, oldest first, while the log spans at most two hours',
      [
        { createdAt: '2026-03-02T10:01:59.900Z', status: 'succeeded' },
        { createdAt: '2026-03-02T10:00:05.000Z', status: 'dead' },
        { createdAt: '2026-03-02T10:01:00.000Z', status: 'pending' },
        { createdAt: '2026-03-02T10:01:30.000Z', status: 'succeeded' },
      ],
      [
        { at: '2026-03-02 10:00', succeeded: 0, pending: 0, dead: 1 },
        { at: '2026-03-02 10:01', succeeded: 2, pending: 1, dead: 0 },
      ],
    ],
    [
      'counts per hour beyond two hours',
      [
        { createdAt: '2026-03-02T10:59:00.000Z', status: 'succeeded' },
        { createdAt: '2026-03-02T13:00:00.000Z', status: 'succeeded' },
        { createdAt: '2026-03-02T10:00:00.000Z', status: 'pending' },
      ],
      [
        { at: '2026-03-02 10:00', succeeded: 1, pending: 1, dead: 0 },
        { at: '2026-03-02 13:00', succeeded: 1, pending: 0, dead: 0 },
      ],
    ],
    ['answers nothing for an empty log', [], []],
  ] as const)('%s', (_case, log, buckets) => {
    expect(deliveriesOverTime(log)).toEqual(buckets);
  });
});
