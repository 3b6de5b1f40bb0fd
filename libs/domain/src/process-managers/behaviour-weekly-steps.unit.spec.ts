import { behaviourWeeklySteps } from './behaviour-weekly-steps.process-manager';
import { commandIdFor } from './process-manager';
import type { ReceivedEvent } from './process-manager';

const received = (type: string, data: Record<string, unknown>) =>
  ({ type, data, eventId: `ev-${type}`, tenantId: 't1' }) as unknown as ReceivedEvent<never>;
const at = '2026-03-02T08:00:00.000Z';

describe('behaviour-weekly-steps: a weekly plan moves its steps on the appraisal (ADR 0145)', () => {
  it('a submitted plan is tracked as submitted; an annotation and a score as reviewed; each with a command id of its event', () => {
    const submitted = received('WeeklyPlanSubmitted', { planId: 'ann.2026-W10', appraisalId: 'ap-1', at });
    expect(behaviourWeeklySteps.react(submitted)).toEqual([
      {
        commandId: commandIdFor('behaviour-weekly-steps', submitted, 'submitted'),
        command: {
          type: 'TrackWeeklyPlan',
          data: { appraisalId: 'ap-1', week: '2026-W10', progress: 'submitted' },
        },
      },
    ]);
    for (const type of ['WeeklyPlanAnnotated', 'WeekScored'])
      expect(
        behaviourWeeklySteps.react(received(type, { planId: 'e.1.2026-W10', appraisalId: 'ap-1', at })),
      ).toEqual([
        expect.objectContaining({
          command: {
            type: 'TrackWeeklyPlan',
            data: { appraisalId: 'ap-1', week: '2026-W10', progress: 'reviewed' },
          },
        }),
      ]);
  });

  it('an event that names no appraisal (recorded before, or a person not appraised) sends nothing', () => {
    expect(
      behaviourWeeklySteps.react(received('WeeklyPlanSubmitted', { planId: 'ann.2026-W10', at })),
    ).toEqual([]);
  });
});
