import { monthOfIsoWeek } from '../weekly-plan/iso-week';
import { commandIdFor, type ProcessManager } from './process-manager';

/**
 * A week scored → `RescoreBehaviour` for its month on the person's appraisal, sent by the system. The
 * appraisal rescores only a month already scored (ADR 0131): a month not yet scored reads its weeks
 * when it is, so a week scored after its month no longer leaves the month's score behind. A day
 * scored likewise, for the month its week counts in (ADR 0161): it names the appraisal only where the
 * workflow counts days.
 */
export const behaviourRescoring: ProcessManager<'WeekScored' | 'DayScored'> = {
  name: 'behaviour-rescoring',
  eventTypes: ['WeekScored', 'DayScored'],
  react: (event) => {
    if (!event.data.appraisalId) return [];
    const month = event.type === 'WeekScored' ? event.data.month : monthOfIsoWeek(event.data.week);
    return [
      {
        commandId: commandIdFor('behaviour-rescoring', event, month),
        command: { type: 'RescoreBehaviour', data: { appraisalId: event.data.appraisalId, periodId: month } },
      },
    ];
  },
};
