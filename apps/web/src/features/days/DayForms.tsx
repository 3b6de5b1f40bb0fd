import { Button, Checkbox, Form, Input, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { CommandForm } from '../../app/CommandForm';
import { toPlanItems, toResults, type ItemTyped, type ResultTyped } from './days';
import type { Day, WeekItem } from './queries';
import { ratingsBody, RubricRatings, type PlanRules, type RatingsTyped } from './RubricRatings';

// Figures are typed (`controls={false}`): the spinner's buttons are mouse-only, Tab skips them.

/** What every form of a day needs: the day, and how to read the week again after writing. */
interface DayFormProps {
  day: Day;
  reload: () => Promise<unknown>;
}

const path = (day: Day) => ({ params: { path: { planId: day.planId } } });

/** The person plans the day (or plans it again): items, each a number or an action, optionally on a week item. */
export function PlanDayForm({
  day,
  reload,
  employeeId,
  cycleId,
  weekItems,
}: DayFormProps & { employeeId: string; cycleId: string; weekItems: readonly WeekItem[] }) {
  const { t } = useTranslation();
  const initial: ItemTyped[] = day.items.length
    ? day.items.map((item) => ({
        itemId: item.itemId,
        kind: item.kind,
        text: item.text ?? '',
        planned: item.planned,
        weekItemId: item.weekItemId,
      }))
    : [{ kind: 'action' }];
  return (
    <CommandForm<{ items: ItemTyped[] }>
      name={`plan-${day.date}`}
      title={t(day.status === 'planned' ? 'days.replan' : 'days.plan')}
      submit={t('days.submitPlan')}
      done={t('days.dayPlanned')}
      reload={reload}
      initialValues={{ items: initial }}
      send={({ items }) =>
        ok(
          api.POST('/daily-plans/{planId}/submit', {
            ...path(day),
            body: { employeeId, cycleId, date: day.date, items: toPlanItems(items) },
          }),
        )
      }
    >
      <Form.List name="items">
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field) => (
              <Space key={field.key} align="start" wrap data-testid="day-item-form">
                <Form.Item name={[field.name, 'itemId']} hidden>
                  <Input />
                </Form.Item>
                <Form.Item name={[field.name, 'kind']} label={t('days.kind')}>
                  <Select
                    style={{ width: 120 }}
                    options={[
                      { value: 'action', label: t('days.kinds.action') },
                      { value: 'number', label: t('days.kinds.number') },
                    ]}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'text']} label={t('days.text')}>
                  <Input style={{ width: 280 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'planned']} label={t('days.planned')}>
                  <InputNumber controls={false} style={{ width: 120 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'weekItemId']} label={t('days.weekItem')}>
                  <Select
                    allowClear
                    style={{ width: 240 }}
                    placeholder={t('days.noWeekItem')}
                    options={weekItems.map((item) => ({
                      value: item.itemId,
                      label: item.text ?? item.itemId,
                    }))}
                  />
                </Form.Item>
                <Form.Item label={t('days.line')}>
                  <Button onClick={() => remove(field.name)} disabled={fields.length === 1}>
                    {t('days.removeItem')}
                  </Button>
                </Form.Item>
              </Space>
            ))}
            <Form.ErrorList errors={errors} />
            <Form.Item>
              <Button onClick={() => add({ kind: 'action' } satisfies ItemTyped)}>{t('days.addItem')}</Button>
            </Form.Item>
          </>
        )}
      </Form.List>
    </CommandForm>
  );
}

/** The person reports each item's actual (a number) or whether it was done (an action), and sums up the day. */
export function SummarizeDayForm({ day, reload }: DayFormProps) {
  const { t } = useTranslation();
  const results: ResultTyped[] = day.items.map((item) => ({ actual: item.actual, done: item.done ?? false }));
  return (
    <CommandForm<{ results?: ResultTyped[]; summary?: string }>
      name={`summary-${day.date}`}
      title={t('days.summarize')}
      submit={t('days.submitSummary')}
      done={t('days.summarized')}
      reload={reload}
      initialValues={{ results, summary: day.summary ?? '' }}
      send={(values) =>
        ok(
          api.POST('/daily-plans/{planId}/summary', {
            ...path(day),
            body: { results: toResults(day.items, values.results), summary: values.summary ?? '' },
          }),
        )
      }
    >
      {day.items.map((item, index) =>
        item.kind === 'number' ? (
          <Form.Item
            key={item.itemId}
            name={['results', index, 'actual']}
            label={t('days.actualOf', { text: item.text ?? item.itemId })}
          >
            <InputNumber controls={false} style={{ width: 160 }} />
          </Form.Item>
        ) : (
          <Form.Item key={item.itemId} name={['results', index, 'done']} valuePropName="checked">
            <Checkbox>{t('days.doneOf', { text: item.text ?? item.itemId })}</Checkbox>
          </Form.Item>
        ),
      )}
      <Form.Item name="summary" label={t('days.summary')}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </CommandForm>
  );
}

/** The manager (or HR) annotates the day, or one of its items. */
export function AnnotateDayForm({ day, reload }: DayFormProps) {
  const { t } = useTranslation();
  return (
    <CommandForm<{ itemId?: string; text?: string }>
      name={`annotate-${day.date}`}
      title={t('days.annotate')}
      submit={t('days.submitAnnotation')}
      done={t('days.annotated')}
      reload={reload}
      send={({ itemId, text }) =>
        ok(
          api.POST('/daily-plans/{planId}/annotations', {
            ...path(day),
            body: { ...(itemId ? { itemId } : {}), text: text ?? '' },
          }),
        )
      }
    >
      <Form.Item name="itemId" label={t('days.annotationOn')}>
        <Select
          allowClear
          style={{ width: 320 }}
          placeholder={t('days.wholeDay')}
          options={day.items.map((item) => ({ value: item.itemId, label: item.text ?? item.itemId }))}
        />
      </Form.Item>
      <Form.Item name="text" label={t('days.annotation')}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </CommandForm>
  );
}

/** The manager (or HR) scores a summarized day on the workflow's behaviour rubric; a later score replaces it. */
export function ScoreDayForm({ day, reload, rules }: DayFormProps & { rules: PlanRules }) {
  const { t } = useTranslation();
  return (
    <CommandForm<RatingsTyped>
      name={`score-${day.date}`}
      title={t(day.status === 'scored' ? 'days.rescore' : 'days.score')}
      submit={t('days.submitScore')}
      done={t('days.scored')}
      reload={reload}
      send={(typed) =>
        ok(
          api.POST('/daily-plans/{planId}/score', {
            ...path(day),
            body: { ratings: ratingsBody(rules, typed) },
          }),
        )
      }
    >
      <RubricRatings rules={rules} />
    </CommandForm>
  );
}
