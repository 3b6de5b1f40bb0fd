import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AppraisalEvent, Indicator } from './queries';

/** One note on a plan line: the manager's annotation when returning the plan, or an answer to it. */
export interface LineNote {
  key: string;
  kind: 'annotation' | 'reply';
  author: string;
  planVersion: number | null;
  /** Null when the API withholds the words from the reader (`pii: "redacted"`). */
  text: string | null;
}

export interface PlanAnnotations {
  byLine: LineNote[][];
  any: boolean;
  /** Who returned the plan last, and whether the reader may not see the annotations' words. */
  returnedBy: string | null;
  withheld: boolean;
}

interface Annotation {
  path?: string;
  text: string;
}

/**
 * A return's annotation names its line by path: `targets.1`, `targets[1].target` or the indicator's
 * id. An annotation without a line is shown on none of them (the alert above the plan says it was returned).
 */
function lineOf(path: string | undefined, indicators: Indicator[]): number {
  if (!path) return -1;
  const position = /^targets(?:\.|\[)(\d+)/.exec(path);
  if (position) return Number(position[1]);
  return indicators.findIndex((indicator) => path.split(/[.[\]]/).includes(indicator.id));
}

const wordsOf = (pii: unknown): Record<string, unknown> | null =>
  pii && typeof pii === 'object' ? (pii as Record<string, unknown>) : null;

/** The plan's annotations and answers, line by line, from the appraisal's events. */
export function planAnnotations(events: AppraisalEvent[], indicators: Indicator[]): PlanAnnotations {
  const byLine: LineNote[][] = indicators.map(() => []);
  let returnedBy: string | null = null;
  let withheld = false;
  for (const event of events) {
    if (event.type === 'PlanReturned') {
      returnedBy = event.actor.id;
      const words = wordsOf(event.data.pii);
      withheld = words === null;
      for (const [index, annotation] of ((words?.annotations ?? []) as Annotation[]).entries()) {
        const line = lineOf(annotation.path, indicators);
        if (line >= 0 && line < byLine.length)
          byLine[line].push({
            key: `${event.eventId}/${index}`,
            kind: 'annotation',
            author: event.actor.id,
            planVersion: Number(event.data.planVersion) || null,
            text: annotation.text,
          });
      }
    }
    if (event.type === 'AnnotationAdded') {
      const on = (event.data.on ?? {}) as { indicatorId?: string; periodId?: string };
      const line = indicators.findIndex((indicator) => indicator.id === on.indicatorId);
      if (line < 0 || on.periodId) continue;
      const words = wordsOf(event.data.pii);
      byLine[line].push({
        key: event.eventId,
        kind: 'reply',
        author: String(event.data.authorId ?? event.actor.id),
        planVersion: null,
        text: typeof words?.text === 'string' ? words.text : null,
      });
    }
  }
  return { byLine, any: byLine.some((notes) => notes.length > 0), returnedBy, withheld };
}

/** The notes of one line, each with its author; words the reader may not see are said to be withheld. */
export function LineAnnotations({ notes }: { notes: LineNote[] }) {
  const { t } = useTranslation();
  if (notes.length === 0) return null;
  return (
    <ul style={{ margin: 0, paddingLeft: 16 }}>
      {notes.map((note) => (
        <li key={note.key} data-testid={`note-${note.kind}`}>
          <Typography.Text strong>
            {t(note.kind === 'annotation' ? 'plan.annotationBy' : 'plan.replyBy', { author: note.author })}
          </Typography.Text>{' '}
          {note.text ?? <Typography.Text type="secondary">{t('plan.textWithheld')}</Typography.Text>}
        </li>
      ))}
    </ul>
  );
}
