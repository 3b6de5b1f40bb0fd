import { Alert, Skeleton, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LazyChart as Chart } from '../../app/LazyChart';
import { CompactTable } from '../../app/ListTable';
import { VetoedTag } from './VetoedTag';
import { useScore, type AppraisalScore, type Indicator, type ScoredIndicator } from './queries';

type ScoredPeriod = AppraisalScore['periods'][number];

/** Scores with the breakdown the API gives (actual, rule, score, weight, contribution), vetoes with their reason. */
export function ScoresSection({ appraisalId, indicators }: { appraisalId: string; indicators: Indicator[] }) {
  const { t } = useTranslation();
  const score = useScore(appraisalId);
  const nameOf = (id: string) => indicators.find((indicator) => indicator.id === id)?.name ?? id;
  const data = score.data;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: (data?.periods ?? []).map((p) => p.periodId) },
      yAxis: { type: 'value', min: 0 },
      series: [
        { type: 'line', name: t('scores.score'), data: (data?.periods ?? []).map((p) => Number(p.score)) },
      ],
    }),
    [data, t],
  );
  if (score.isLoading) return <Skeleton active />;
  if (!data || data.periods.length === 0) return <Alert type="info" message={t('scores.none')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text strong data-testid="running-score">
        {t('scores.running', { score: data.runningScore ?? '—', grade: data.runningGrade ?? '—' })}
      </Typography.Text>
      {data.stale && (
        // The annual result shown elsewhere stays the recorded one until the year is scored again
        // (the worker does so; finalizing is refused meanwhile): say why it no longer holds.
        <Alert
          type="warning"
          showIcon
          data-testid="score-stale"
          message={t('scores.stale')}
          description={data.stale.reasons
            .map((reason) =>
              reason.cause === 'period-rescored'
                ? t('scores.staleRescored', {
                    period: reason.periodId,
                    from: reason.from ?? '—',
                    to: reason.to,
                  })
                : t(
                    reason.cause === 'red-line-breached'
                      ? 'scores.staleRedLine'
                      : 'scores.staleRedLineWithdrawn',
                    {
                      name: reason.name ?? reason.redLineId,
                    },
                  ),
            )
            .join('; ')}
        />
      )}
      {data.vetoes
        .filter((veto) => veto.state === 'breached')
        .map((veto) => (
          <Alert
            key={`${veto.periodId}/${veto.indicatorId}`}
            type="error"
            showIcon
            message={`${veto.periodId} ${t('scores.vetoed')}`}
            description={t('scores.vetoReason', {
              indicator: nameOf(veto.indicatorId),
              actual: veto.actual,
              percent: veto.percentOfTarget,
              target: veto.target,
              vetoValue: veto.vetoValue,
            })}
          />
        ))}
      <Chart
        option={option}
        label={`${t('scores.chart')}: ${data.periods.map((p) => `${p.periodId} ${p.score}`).join(', ')}`}
      />
      <CompactTable<ScoredPeriod>
        rowKey="periodId"
        dataSource={data.periods}
        expandable={{
          expandedRowRender: (period) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              {period.behaviour && (
                // The month's score blends the scorecard with the weekly behaviour score at the
                // workflow's weight; a month with no week scored counts the scorecard alone.
                <Typography.Text data-testid={`behaviour-${period.periodId}`}>
                  {period.behaviour.score === null
                    ? t('scores.behaviourNone', { weight: period.behaviour.weight })
                    : t('scores.behaviour', {
                        score: period.behaviour.score,
                        weight: period.behaviour.weight,
                        weeks: period.behaviour.weeks.length,
                        scorecard: period.behaviour.scorecardScore,
                      })}
                </Typography.Text>
              )}
              <CompactTable<ScoredIndicator>
                rowKey="indicatorId"
                dataSource={period.indicators}
                columns={[
                  { title: t('plan.indicator'), dataIndex: 'indicatorId', render: nameOf },
                  ...(['actual', 'rule', 'score', 'weight', 'contribution'] as const).map((key) => ({
                    title: t(`scores.${key}`),
                    dataIndex: key,
                  })),
                  {
                    title: '',
                    dataIndex: 'veto',
                    render: (veto: string) => veto === 'breached' && <VetoedTag />,
                  },
                ]}
              />
            </Space>
          ),
        }}
        columns={[
          { title: t('scores.period'), dataIndex: 'periodId' },
          { title: t('scores.score'), dataIndex: 'score' },
          { title: t('scores.grade'), dataIndex: 'grade' },
          { title: t('scores.bonus'), dataIndex: 'bonusCoefficient' },
          {
            title: '',
            key: 'vetoed',
            render: (_: unknown, period: ScoredPeriod) =>
              period.vetoed && <VetoedTag testId={`vetoed-${period.periodId}`} />,
          },
        ]}
      />
    </Space>
  );
}
