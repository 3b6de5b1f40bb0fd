import { Alert, Form, Input, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { CompactTable } from '../../app/ListTable';
import { StepForm, StepWords, withComment } from './StepForm';
import { VetoedTag } from './VetoedTag';
import { periodToFile } from './period-to-file';
import {
  appraiseeOf,
  useWhatIf,
  type Appraisal,
  type Indicator,
  type Period,
  type PlanTarget,
  type WhatIfPeriod,
} from './queries';

interface ReviewForm {
  actuals: { indicatorId: string; actual: string; evidence?: string }[];
  gapReasons?: string;
  improvementProposals?: string;
  supportRequests?: string;
}

/** The month-by-month reviews: the appraisee files actuals; the manager assesses and scores. */
export function ReviewsSection({
  appraisal,
  indicators,
  earlyFilingDays = 0,
}: {
  appraisal: Appraisal;
  indicators: Indicator[];
  /** The workflow's days before a month's end from which its review may be filed. */
  earlyFilingDays?: number;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const { state } = appraisal;
  const own = session?.employeeId === appraiseeOf(appraisal);
  const periods = state.periodOrder.map((id) => state.periods[id]);
  const planApproved = state.plan?.status === 'approved';
  // Only a month that has ended (or is within the early-filing days): the API refuses an earlier one.
  const fileable = own && planApproved ? periodToFile(periods, Date.now(), earlyFilingDays) : undefined;
  const toFile = periods.find((p) => p.periodId === fileable);
  const toAssess =
    !own && session?.role !== 'employee' ? periods.find((p) => p.status === 'filed') : undefined;
  const toScore =
    !own && session?.role !== 'employee' ? periods.find((p) => p.status === 'assessed') : undefined;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <CompactTable<Period>
        rowKey="periodId"
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
                  {period.result.vetoed && <VetoedTag />}
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
        <StepForm<{ comment?: string }>
          key={`assess-${toAssess.periodId}`}
          appraisal={appraisal}
          title={`${t('review.assess')}: ${toAssess.periodId}`}
          route="/appraisals/{appraisalId}/assess-period-review"
          toBody={(values) => ({
            periodId: toAssess.periodId,
            ...withComment(values.comment),
          })}
          done={t('review.assessed')}
          submit={t('review.assess')}
        >
          <ScorePreview appraisal={appraisal} period={toAssess} indicators={indicators} />
          <Form.Item name="comment" label={t('review.comment')} style={{ marginTop: 12 }}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </StepForm>
      )}
      {toScore && (
        <StepForm
          key={`score-${toScore.periodId}`}
          appraisal={appraisal}
          title={`${t('review.score')}: ${toScore.periodId}`}
          route="/appraisals/{appraisalId}/score-period"
          toBody={() => ({ periodId: toScore.periodId })}
          done={t('review.scored')}
          submit={t('review.score')}
        >
          <ScorePreview appraisal={appraisal} period={toScore} indicators={indicators} />
        </StepForm>
      )}
    </Space>
  );
}

/** A period of the appraisal and the indicators its plan scores. */
interface PeriodProps {
  appraisal: Appraisal;
  period: Period;
  indicators: Indicator[];
}

const levels = (planned?: PlanTarget) =>
  planned ? `${planned.threshold} / ${planned.target} / ${planned.stretch}` : '—';

function FileReview({ appraisal, period, indicators }: PeriodProps) {
  const { t } = useTranslation();
  const targets = appraisal.state.plan?.targets ?? [];
  return (
    <StepForm<ReviewForm>
      appraisal={appraisal}
      title={`${t('review.file')}: ${period.periodId}`}
      route="/appraisals/{appraisalId}/file-period-review"
      // The form holds the inputs only; each actual is the indicator of the same position.
      toBody={(values) => ({
        ...values,
        periodId: period.periodId,
        actuals: values.actuals.map(({ actual }, index) => ({ indicatorId: indicators[index].id, actual })),
        attachments: values.actuals.flatMap(({ evidence }, index) =>
          evidence?.trim() ? [{ indicatorId: indicators[index].id, ref: evidence.trim() }] : [],
        ),
      })}
      done={t('review.filed')}
      submit={t('review.file')}
      initialValues={{
        actuals: indicators.map((indicator) => ({
          indicatorId: indicator.id,
          actual: period.actuals?.[indicator.id] ?? '',
        })),
      }}
    >
      {indicators.map((indicator, index) => (
        <Space key={indicator.id} align="start" wrap>
          <Form.Item
            name={['actuals', index, 'actual']}
            label={`${indicator.name} (${t('review.planned')}: ${levels(targets.find((target) => target.indicatorId === indicator.id))})`}
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
      ))}
      <StepWords name="gapReasons" label={t('review.gapReasons')} />
      <StepWords name="improvementProposals" label={t('review.improvementProposals')} />
      <StepWords name="supportRequests" label={t('review.supportRequests')} />
    </StepForm>
  );
}

/**
 * The month's actuals against the plan and the score the workflow's rule gives each indicator,
 * before the manager saves anything: the API's what-if under the appraisal's own pinned version
 * (the domain's scoring, nothing written). Without it (a refusal) the plan and actuals still show.
 */
function ScorePreview({ appraisal, period, indicators }: PeriodProps) {
  const { t } = useTranslation();
  const { state } = appraisal;
  const preview = useWhatIf(
    appraisal.appraisalId,
    period.periodId,
    state.workflowVersion,
    appraisal.revision,
  );
  const targets = state.plan?.targets ?? [];
  const scored = (id: string): WhatIfPeriod['whatIf']['indicators'][number] | undefined =>
    preview.data?.whatIf.indicators.find((indicator) => indicator.indicatorId === id);
  const breached = new Set(
    (preview.data?.whatIf.vetoes ?? []).filter((veto) => veto.breached).map((veto) => veto.indicatorId),
  );
  const result = preview.data?.whatIf;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="score-preview">
      {result && (
        <Typography.Text
          strong
          data-testid="preview-total"
          data-score={result.score}
          data-grade={result.grade}
        >
          {t('review.preview', { score: result.score, grade: result.grade })} {result.vetoed && <VetoedTag />}
        </Typography.Text>
      )}
      {preview.error && (
        <Alert
          type="warning"
          showIcon
          message={t('review.previewUnavailable', { detail: preview.error.message })}
        />
      )}
      <CompactTable<Indicator>
        rowKey="id"
        loading={preview.isLoading}
        dataSource={indicators}
        aria-label={t('review.previewTable')}
        columns={[
          { title: t('plan.indicator'), dataIndex: 'name' },
          {
            title: t('review.planned'),
            key: 'plan',
            render: (_: unknown, indicator: Indicator) =>
              levels(targets.find((target) => target.indicatorId === indicator.id)),
          },
          {
            title: t('review.actual'),
            key: 'actual',
            render: (_: unknown, indicator: Indicator) => period.actuals?.[indicator.id] ?? '—',
          },
          ...(['rule', 'score', 'weight', 'contribution'] as const).map((key) => ({
            title: t(`scores.${key}`),
            key,
            render: (_: unknown, i: Indicator) => scored(i.id)?.[key] ?? '—',
          })),
          {
            title: t('scores.veto'),
            key: 'veto',
            render: (_: unknown, i: Indicator) => breached.has(i.id) && <VetoedTag />,
          },
        ]}
      />
    </Space>
  );
}
