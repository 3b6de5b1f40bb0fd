import type { RecordedEvent } from '@verity/event-store';
import { happyPath } from '@verity/domain/testing/appraisal-scenario';
import { scoreAsOf } from './score-as-of';

function recorded(events: { type: string; data: unknown }[]): RecordedEvent[] {
  return events.map((e, i) => ({
    eventId: `e${i}`,
    type: e.type,
    data: e.data,
    metadata: {
      tenantId: 't',
      actor: { id: 'u', role: 'hr' },
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
    },
    streamId: 'appraisal-t.ap-1',
    streamRevision: BigInt(i),
    position: String(100 + i * 10),
    recordedAt: new Date(Date.UTC(2026, 0, 1 + i)),
  }));
}

it('replays a stream to a past position or time and gives the score as it stood then', () => {
  const { assessed, scored, annual } = happyPath();
  const stream = recorded(annual.events);
  const scoredAt = stream[scored.events.length - 1];
  const before = scoreAsOf(stream, { position: stream[assessed.events.length - 1].position });
  expect(before.periods.find((p) => p.periodId === '2026-01')?.result).toBeNull();
  const then = scoreAsOf(stream, { time: scoredAt.recordedAt });
  expect(then.replayed).toBe(scored.events.length);
  const period = then.periods.find((p) => p.periodId === '2026-01');
  expect(period?.result).toEqual(
    scored.state.status === 'empty' ? null : scored.state.periods['2026-01'].result,
  );
  expect(period?.result?.score).toMatch(/^\d/);
  expect(then.annual).toBeNull();
  const now = scoreAsOf(stream, {});
  expect(now.annual?.grade).toBe(annual.state.status === 'empty' ? undefined : annual.state.result?.grade);
  expect(now.annual).not.toBeNull();
});
