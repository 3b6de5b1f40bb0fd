import { Alert, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CompactTable } from '../../app/ListTable';
import { LineAnnotations, type LineNote } from '../appraisal/annotations';
import { actionsOn } from './days';
import { AnnotateDayForm, PlanDayForm, ScoreDayForm, SummarizeDayForm } from './DayForms';
import type { Day, DayItem, WeekItem } from './queries';
import { RubricScore, type PlanRules } from './RubricRatings';

/** A day's annotations as the plan's notes show them (words withheld from whoever may not read them). */
const notesOf = (annotations: Day['annotations']): LineNote[] =>
  annotations.map((annotation) => ({
    key: annotation.annotationId,
    kind: 'annotation',
    author: annotation.by,
    planVersion: null,
    text: annotation.text,
  }));

/**
 * One day of the week: its items with their results and annotations, the summary, the score on the
 * rubric, and the forms the reader may use on it (the person's plan and summary, the manager's
 * annotation and score).
 */
export function DayPanel({
  day,
  own,
  today,
  employeeId,
  cycleId,
  rules,
  weekItems,
  reload,
}: {
  day: Day;
  own: boolean;
  today: string;
  employeeId: string;
  cycleId: string | null;
  rules: PlanRules | null;
  weekItems: readonly WeekItem[];
  reload: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const may = actionsOn(day, own, today);
  const weekItemText = (id: string | null) =>
    id === null ? '—' : (weekItems.find((item) => item.itemId === id)?.text ?? id);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid={`day-${day.date}`}>
      {day.status === 'not-planned' ? (
        <Typography.Paragraph>{t('days.notPlanned')}</Typography.Paragraph>
      ) : (
        <CompactTable<DayItem>
          rowKey="itemId"
          dataSource={day.items}
          columns={[
            { title: t('days.text'), key: 'text', render: (_, item) => item.text ?? t('plan.textWithheld') },
            { title: t('days.kind'), key: 'kind', render: (_, item) => t(`days.kinds.${item.kind}`) },
            { title: t('days.planned'), key: 'planned', render: (_, item) => item.planned ?? '—' },
            { title: t('days.weekItem'), key: 'week', render: (_, item) => weekItemText(item.weekItemId) },
            {
              title: t('days.result'),
              key: 'result',
              render: (_, item) =>
                item.kind === 'number'
                  ? (item.actual ?? '—')
                  : item.done === null
                    ? '—'
                    : t(item.done ? 'days.done' : 'days.notDone'),
            },
            {
              title: t('plan.annotations'),
              key: 'annotations',
              render: (_, item) => <LineAnnotations notes={notesOf(item.annotations)} />,
            },
          ]}
        />
      )}
      {day.summary !== null && (
        <div data-testid="day-summary">
          <Typography.Text strong>{t('days.summary')}: </Typography.Text>
          {day.summary}
        </div>
      )}
      {day.annotations.length > 0 && (
        <div data-testid="day-annotations">
          <Typography.Text strong>{t('days.dayAnnotations')}</Typography.Text>
          <LineAnnotations notes={notesOf(day.annotations)} />
        </div>
      )}
      {day.score !== null && (
        <RubricScore rules={rules} score={day.score} ratings={day.ratings} scoredBy={day.scoredBy} />
      )}
      {may.plan &&
        (cycleId && rules ? (
          <PlanDayForm
            day={day}
            reload={reload}
            employeeId={employeeId}
            cycleId={cycleId}
            weekItems={weekItems}
          />
        ) : (
          <Alert type="info" message={t('days.notEnabled')} />
        ))}
      {may.summarize && <SummarizeDayForm day={day} reload={reload} />}
      {may.annotate && <AnnotateDayForm day={day} reload={reload} />}
      {may.score && rules && <ScoreDayForm day={day} reload={reload} rules={rules} />}
    </Space>
  );
}
