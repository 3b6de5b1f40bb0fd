import { behaviourDailySteps } from './behaviour-daily-steps.process-manager';
import { behaviourRescoring } from './behaviour-rescoring.process-manager';
import type { ReceivedEvent } from './process-manager';

const received = <T>(type: string, data: T) =>
  ({
    type,
    data,
    eventId: '00000000-0000-4000-8000-000000000001',
    tenantId: 't1',
    correlationId: 'c1',
  }) as unknown as ReceivedEvent<never>;

describe('behaviour-daily-steps (ADR 0160)', () => {
  it('a filed day tracks "filed", an annotation or a score "reviewed", with stable command ids', () => {
    const summary = received('DaySummarized', { planId: 'ann.2026-03-04', appraisalId: 'ap-1' });
    const [sent] = behaviourDailySteps.react(summary);
    expect(sent.command).toEqual({
      type: 'TrackDailyPlan',
      data: { appraisalId: 'ap-1', date: '2026-03-04', progress: 'filed' },
    });
    expect(behaviourDailySteps.react(summary)[0].commandId).toBe(sent.commandId);
    for (const type of ['DailyPlanAnnotated', 'DayScored'])
      expect(
        behaviourDailySteps.react(received(type, { planId: 'ann.2026-03-04', appraisalId: 'ap-1' }))[0]
          .command.data,
      ).toMatchObject({ progress: 'reviewed' });
  });

  it('a day naming no appraisal sends nothing', () => {
    expect(behaviourDailySteps.react(received('DaySummarized', { planId: 'ann.2026-03-04' }))).toEqual([]);
  });

  it('a scored day rescores the month its week counts in', () => {
    // 2026-W14 runs 30 March to 5 April: its Thursday is 2 April, so it counts in April.
    const [sent] = behaviourRescoring.react(
      received('DayScored', { planId: 'ann.2026-03-30', appraisalId: 'ap-1', week: '2026-W14' }),
    );
    expect(sent.command).toEqual({
      type: 'RescoreBehaviour',
      data: { appraisalId: 'ap-1', periodId: '2026-04' },
    });
  });
});
