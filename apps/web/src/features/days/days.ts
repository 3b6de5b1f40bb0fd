import {
  datesOfIsoWeek,
  isoWeekExists,
  isoWeekOf,
} from '../../../../../libs/domain/src/weekly-plan/iso-week-dates';

// The domain's own week arithmetic (library-free): a day falls in the same week on the screen as in the API.
export {
  datesOfIsoWeek,
  isoWeekOf,
  monthOfIsoWeek,
  nextIsoWeek,
  previousIsoWeek,
} from '../../../../../libs/domain/src/weekly-plan/iso-week-dates';

export type DayStatus = 'not-planned' | 'planned' | 'summarized' | 'scored';

/** What the reader may do with one day: the API's rules (ADR 0154), so no form is offered only to be refused. */
export interface DayActions {
  plan: boolean;
  summarize: boolean;
  annotate: boolean;
  score: boolean;
}

/** The week a link names (`?week=2026-W06`), else the week of today. */
export function weekToShow(asked: string | null, today: string): string {
  return asked && /^\d{4}-W\d{2}$/.test(asked) && isoWeekExists(asked) ? asked : isoWeekOf(today);
}

/**
 * The days of a week on the screen: Monday to Friday always, Saturday and Sunday only once planned
 * (a weekend is planned only by whoever works it, and an empty tab for it would only be noise).
 */
export function daysShown(week: string, days: readonly { date: string; status: DayStatus }[]): string[] {
  const planned = new Set(days.filter((day) => day.status !== 'not-planned').map((day) => day.date));
  return datesOfIsoWeek(week).filter((date, index) => index < 5 || planned.has(date));
}

/**
 * The person plans a day until it is summarized, and summarizes it (again, until it is scored) from
 * the day itself on; a manager (anyone else the API lets read the day) annotates a planned day and
 * scores a summarized one, again to replace the score.
 */
export function actionsOn(day: { date: string; status: DayStatus }, own: boolean, today: string): DayActions {
  const { date, status } = day;
  return {
    plan: own && (status === 'not-planned' || status === 'planned'),
    summarize: own && (status === 'planned' || status === 'summarized') && date <= today,
    annotate: !own && status !== 'not-planned',
    score: !own && (status === 'summarized' || status === 'scored'),
  };
}

/** One line of the plan form as typed (a line added on the screen has no id yet). */
export interface ItemTyped {
  itemId?: string;
  kind: 'number' | 'action';
  text?: string;
  planned?: number | string | null;
  weekItemId?: string | null;
}

/**
 * The plan form's lines as the API's body: what the person typed and nothing else, so that a figure
 * missing on a number (or given to an action) is refused by the API on its field, not guessed here.
 * A new line gets the first free id `item-<n>`; a line planned before keeps its id (its annotations
 * and its week link stay on it).
 */
export function toPlanItems(items: readonly ItemTyped[]) {
  const taken = new Set(items.map((item) => item.itemId).filter(Boolean));
  let n = 0;
  const fresh = () => {
    do n++;
    while (taken.has(`item-${n}`));
    taken.add(`item-${n}`);
    return `item-${n}`;
  };
  return items.map(({ itemId, kind, text, planned, weekItemId }) => ({
    itemId: itemId || fresh(),
    kind,
    text: text ?? '',
    ...(planned === null || planned === undefined || planned === '' ? {} : { planned }),
    ...(weekItemId ? { weekItemId } : {}),
  }));
}

/** One line of the summary form as typed: an actual for a number, done or not for an action. */
export interface ResultTyped {
  actual?: number | string | null;
  done?: boolean;
}

/**
 * The summary form's lines as the API's body, one per item of the plan in its order (the form holds
 * only what is typed): an action left unticked was not done, a number left empty is sent without
 * its actual, for the API to name the field.
 */
export function toResults(
  items: readonly { itemId: string; kind: 'number' | 'action' }[],
  typed: readonly (ResultTyped | undefined)[] = [],
) {
  return items.map(({ itemId, kind }, index) => {
    const { actual, done } = typed[index] ?? {};
    return kind === 'number'
      ? { itemId, ...(actual === null || actual === undefined || actual === '' ? {} : { actual }) }
      : { itemId, done: done ?? false };
  });
}

/**
 * The appraisal whose cycle and workflow the days are planned in: the cycle the week's plan names,
 * else the person's appraisal (the first one listed, when there are several and no week says which).
 */
export function appraisalOfDays<A extends { employeeId: string | null; cycleId: string }>(
  appraisals: readonly A[],
  employeeId: string,
  weekCycleId: string | null,
): A | null {
  const theirs = appraisals.filter((appraisal) => appraisal.employeeId === employeeId);
  return theirs.find((appraisal) => appraisal.cycleId === weekCycleId) ?? theirs[0] ?? null;
}

/** The day whose tab opens first: today when the week shows it, else the week's first day. */
export function dayToOpen(shown: readonly string[], today: string): string {
  return shown.includes(today) ? today : shown[0];
}
