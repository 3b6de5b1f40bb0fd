import type { WeeklyPlanEvent } from '@verity/domain';

/** Personal words as the reader may see them: the text, or null when hidden or erased. */
type Words = string | null;

export interface WeeklyPlanItemView {
  itemId: string;
  kind: 'number' | 'action';
  text: Words;
  targetId: string | null;
  indicatorId: string | null;
  planned: string | null;
  actual: string | null;
  done: boolean | null;
  externalRecords: { system: string; recordId: string; label: Words }[];
  annotations: AnnotationView[];
}

export interface AnnotationView {
  annotationId: string;
  by: string;
  text: Words;
  at: string;
}

export interface WeekView {
  week: string;
  planId: string;
  status: 'not-planned' | 'planned' | 'summarized' | 'scored';
  planVersion: number | null;
  items: WeeklyPlanItemView[];
  days: { date: string; itemIds: string[]; note: Words }[];
  /** Annotations on the week as a whole. */
  annotations: AnnotationView[];
  summary: Words;
  score: string | null;
  ratings: { criterionId: string; score: string }[];
  scoredBy: string | null;
}

export const notPlanned = (week: string, planId: string): WeekView => ({
  week,
  planId,
  status: 'not-planned',
  planVersion: null,
  items: [],
  days: [],
  annotations: [],
  summary: null,
  score: null,
  ratings: [],
  scoredBy: null,
});

/** A string field of an event's `pii`, or null when it is hidden (`"redacted"`) or erased. */
function wordsOf(pii: unknown, pick: (pii: Record<string, unknown>) => unknown): Words {
  if (!pii || typeof pii !== 'object') return null;
  const value = pick(pii as Record<string, unknown>);
  return typeof value === 'string' ? value : null;
}

/**
 * One week as its events tell it (pure; events carry `pii` as the reader may see it). A plan
 * submitted again replaces the items; annotations and results stay with the items they name.
 */
export function evolveWeekView(view: WeekView, event: WeeklyPlanEvent): WeekView {
  switch (event.type) {
    case 'WeeklyPlanSubmitted': {
      const { pii } = event.data;
      const textOf = (itemId: string) =>
        (
          pii as {
            items?: { itemId: string; text: string; recordLabels: { recordId: string; label: string }[] }[];
          }
        )?.items?.find?.((item) => item.itemId === itemId);
      const previous = new Map(view.items.map((item) => [item.itemId, item]));
      return {
        ...view,
        status: view.status === 'not-planned' ? 'planned' : view.status,
        planVersion: event.data.planVersion,
        items: event.data.items.map((item) => {
          const words = textOf(item.itemId);
          return {
            ...item,
            text: wordsOf(words, (w) => w.text),
            actual: null,
            done: null,
            externalRecords: item.externalRecords.map((record) => ({
              ...record,
              label: words?.recordLabels?.find((label) => label.recordId === record.recordId)?.label ?? null,
            })),
            annotations: previous.get(item.itemId)?.annotations ?? [],
          };
        }),
        days: event.data.days.map((day) => ({
          ...day,
          note: wordsOf(
            pii,
            (p) =>
              (p.days as { date: string; note: string }[] | undefined)?.find?.((d) => d.date === day.date)
                ?.note,
          ),
        })),
      };
    }
    case 'WeekSummarized': {
      const results = new Map(event.data.results.map((result) => [result.itemId, result]));
      return {
        ...view,
        status: view.status === 'scored' ? 'scored' : 'summarized',
        summary: wordsOf(event.data.pii, (p) => p.summary),
        items: view.items.map((item) => ({
          ...item,
          actual: results.get(item.itemId)?.actual ?? null,
          done: results.get(item.itemId)?.done ?? null,
        })),
      };
    }
    case 'WeeklyPlanAnnotated': {
      const annotation: AnnotationView = {
        annotationId: event.data.annotationId,
        by: event.data.by,
        text: wordsOf(event.data.pii, (p) => p.text),
        at: event.data.at,
      };
      if (event.data.itemId === null) return { ...view, annotations: [...view.annotations, annotation] };
      return {
        ...view,
        items: view.items.map((item) =>
          item.itemId === event.data.itemId
            ? { ...item, annotations: [...item.annotations, annotation] }
            : item,
        ),
      };
    }
    case 'WeekScored':
      return {
        ...view,
        status: 'scored',
        score: event.data.score,
        ratings: event.data.ratings,
        scoredBy: event.data.by,
      };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
