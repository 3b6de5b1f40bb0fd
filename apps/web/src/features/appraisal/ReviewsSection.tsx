import { App, Button, Card, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { showProblem } from '../../app/forms';
import { useSession } from '../../app/session';
import { ifMatch, useReloadAppraisal, type Appraisal, type Indicator, type Period } from './queries';

interface ReviewForm {
  actuals: { indicatorId: string; actual: string; evidence?: string }[];
  gapReasons?: string;
  improvementProposals?: string;
  supportRequests?: string;
}

/** The month-by-month reviews: the appraisee files actuals; the manager assesses and scores. */
export function ReviewsSection({ appraisal, indicators }: { appraisal: Appraisal; indicators: Indicator[] }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const { state } = appraisal;
  const own = session?.employeeId === state.subject.employeeId;
  const periods = state.periodOrder.map((id) => state.periods[id]);
  const planApproved = state.plan?.status === 'approved';
  const toFile =
    own && planApproved ? periods.find((p) => p.status === 'pending' || p.status === 'returned') : undefined;
  const toAssess =
    !own && session?.role !== 'employee' ? periods.find((p) => p.status === 'filed') : undefined;
  const toScore =
    !own && session?.role !== 'employee' ? periods.find((p) => p.status === 'assessed') : undefined;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table<Period>
        rowKey="periodId"
        size="small"
        pagination={false}
        dataSource={periods}
        columns={[
          { title: t('review.period'), dataIndex: 'periodId' },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (status: string) => <Tag>{t(`statuses.${status}`, status)}</Tag>,
          },
          ...indicators.map((indicator) => ({
            title: indicator.name,
            key: indicator.id,
            render: (_: unknown, period: Period) => period.actuals?.[indicator.id] ?? '—',
          })),
          {
            title: t('scores.score'),
            key: 'score',
            render: (_: unknown, period: Period) =>
              period.result ? (
                <Space>
                  {period.result.score} {period.result.grade}
                  {period.result.vetoed && <Tag color="red">{t('scores.vetoed')}</Tag>}
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {toFile && (
        <FileReview key={toFile.periodId} appraisal={appraisal} period={toFile} indicators={indicators} />
      )}
      {toAssess && (
        <AssessReview
          key={toAssess.periodId}
          appraisal={appraisal}
          period={toAssess}
          indicators={indicators}
        />
      )}
      {toScore && <ScoreMonth key={toScore.periodId} appraisal={appraisal} period={toScore} />}
    </Space>
  );
}

function FileReview({
  appraisal,
  period,
  indicators,
}: {
  appraisal: Appraisal;
  period: Period;
  indicators: Indicator[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReviewForm>();
  const reload = useReloadAppraisal(appraisal.appraisalId);
  const targets = appraisal.state.plan?.targets ?? [];
  const file = useMutation({
    mutationFn: (values: ReviewForm) =>
      ok(
        api.POST('/appraisals/{appraisalId}/file-period-review', {
          params: { path: { appraisalId: appraisal.appraisalId } },
          headers: ifMatch(appraisal.revision),
          // The form holds the inputs only; each actual is the indicator of the same position.
          body: {
            ...values,
            periodId: period.periodId,
            actuals: values.actuals.map(({ actual }, index) => ({
              indicatorId: indicators[index].id,
              actual,
            })),
            attachments: values.actuals.flatMap(({ evidence }, index) =>
              evidence?.trim() ? [{ indicatorId: indicators[index].id, ref: evidence.trim() }] : [],
            ),
          },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('review.filed'));
      await reload();
    },
    onError: async (error) => {
      showProblem(form, error, t, (text) => void message.error(text));
      await reload();
    },
  });
  return (
    <Card title={`${t('review.file')}: ${period.periodId}`} size="small">
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          actuals: indicators.map((indicator) => ({
            indicatorId: indicator.id,
            actual: period.actuals?.[indicator.id] ?? '',
          })),
        }}
        onFinish={(values) => file.mutate(values)}
      >
        {indicators.map((indicator, index) => {
          const planned = targets.find((target) => target.indicatorId === indicator.id);
          return (
            <Space key={indicator.id} align="start" wrap>
              <Form.Item
                name={['actuals', index, 'actual']}
                label={`${indicator.name} (${t('review.planned')}: ${planned ? `${planned.threshold} / ${planned.target} / ${planned.stretch}` : '—'})`}
                rules={[{ required: true }]}
              >
                <Input inputMode="decimal" style={{ maxWidth: 200 }} />
              </Form.Item>
              {indicator.evidenceRequired && (
                <Form.Item
                  name={['actuals', index, 'evidence']}
                  label={t('review.evidence', { indicator: indicator.name })}
                  rules={[{ required: true, whitespace: true }]}
                >
                  <Input style={{ width: 320 }} />
                </Form.Item>
              )}
            </Space>
          );
        })}
        <Form.Item name="gapReasons" label={t('review.gapReasons')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="improvementProposals" label={t('review.improvementProposals')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="supportRequests" label={t('review.supportRequests')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={file.isPending}>
          {t('review.file')}
        </Button>
      </Form>
    </Card>
  );
}

function AssessReview({
  appraisal,
  period,
  indicators,
}: {
  appraisal: Appraisal;
  period: Period;
  indicators: Indicator[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ comment?: string }>();
  const reload = useReloadAppraisal(appraisal.appraisalId);
  const targets = appraisal.state.plan?.targets ?? [];
  const assess = useMutation({
    mutationFn: (values: { comment?: string }) =>
      ok(
        api.POST('/appraisals/{appraisalId}/assess-period-review', {
          params: { path: { appraisalId: appraisal.appraisalId } },
          headers: ifMatch(appraisal.revision),
          body: { periodId: period.periodId, ...(values.comment ? { comment: values.comment } : {}) },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('review.assessed'));
      await reload();
    },
    onError: async (error) => {
      showProblem(form, error, t, (text) => void message.error(text));
      await reload();
    },
  });
  return (
    <Card title={`${t('review.assess')}: ${period.periodId}`} size="small">
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={indicators}
        columns={[
          { title: t('plan.indicator'), dataIndex: 'name' },
          {
            title: t('review.planned'),
            key: 'plan',
            render: (_: unknown, indicator: Indicator) => {
              const planned = targets.find((target) => target.indicatorId === indicator.id);
              return planned ? `${planned.threshold} / ${planned.target} / ${planned.stretch}` : '—';
            },
          },
          {
            title: t('review.actual'),
            key: 'actual',
            render: (_: unknown, indicator: Indicator) => period.actuals?.[indicator.id] ?? '—',
          },
        ]}
      />
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => assess.mutate(values)}
        style={{ marginTop: 12 }}
      >
        <Form.Item name="comment" label={t('review.comment')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={assess.isPending}>
          {t('review.assess')}
        </Button>
      </Form>
    </Card>
  );
}

function ScoreMonth({ appraisal, period }: { appraisal: Appraisal; period: Period }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reload = useReloadAppraisal(appraisal.appraisalId);
  const score = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/appraisals/{appraisalId}/score-period', {
          params: { path: { appraisalId: appraisal.appraisalId } },
          headers: ifMatch(appraisal.revision),
          body: { periodId: period.periodId },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('review.scored'));
      await reload();
    },
    onError: async (error) => {
      void message.error(t('common.error', { detail: (error as Error).message }));
      await reload();
    },
  });
  return (
    <Card size="small">
      <Typography.Text>{period.periodId} </Typography.Text>
      <Button type="primary" loading={score.isPending} onClick={() => score.mutate()}>
        {t('review.score')}
      </Button>
    </Card>
  );
}
