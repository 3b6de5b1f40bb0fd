import { isoWeekOf } from '../days/days';

/** What the inbox needs of an item to know where its step is done. */
export interface InboxTarget {
  appraisalId: string;
  kind: string;
  instance: string | null;
  subjectEmployeeId: string | null;
}

/**
 * The screen that does an inbox item's step. A colleague's rating is given without reading their
 * appraisal (a peer may not); a day's steps (kinds `daily-plan…`, their instance the date or its
 * week) on the person's days of that week; any other kind, known or not yet, on the appraisal that
 * opened the step, which every item names.
 */
export function inboxLink(item: InboxTarget): string {
  if (item.kind === 'peer-rating')
    return `/app/ratings/${item.appraisalId}?subject=${item.subjectEmployeeId ?? ''}`;
  if (item.kind.startsWith('daily-plan') && item.subjectEmployeeId) {
    const instance = item.instance ?? '';
    const week = /^\d{4}-\d{2}-\d{2}$/.test(instance)
      ? isoWeekOf(instance)
      : /^\d{4}-W\d{2}$/.test(instance)
        ? instance
        : null;
    return `/app/days?employeeId=${encodeURIComponent(item.subjectEmployeeId)}${week ? `&week=${week}` : ''}`;
  }
  return `/app/appraisals/${item.appraisalId}`;
}
