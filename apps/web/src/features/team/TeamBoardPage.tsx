import { Alert, Card, Skeleton, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok, type Answer } from '../../api/client';
import { LazyChart as Chart } from '../../app/LazyChart';
import { useSession } from '../../app/session';
import { useWorkflow } from '../appraisal/queries';
import { gradeShares, type GradeShare } from './grade-shares';

type ScoreRow = Answer<'/scores'>['items'][number];

/**
 * A band's bound as a mark on each grade, no line between the marks (a grade without that bound has
 * none): the most points down in red, the least up in green.
 */
function boundMarks(shares: GradeShare[], bound: 'max' | 'min', name: string) {
  return {
    type: 'line',
    name,
    data: shares.map((share) => share[bound] ?? null),
    lineStyle: { opacity: 0 },
    symbol: 'triangle',
    symbolRotate: bound === 'max' ? 180 : 0,
    symbolSize: 14,
    itemStyle: { color: bound === 'max' ? '#b42318' : '#1d6b2f' },
  };
}

/** Each report's running score and grade, and the unit's grade distribution against its bands. */
export function TeamBoardPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const scores = useQuery({
    queryKey: ['scores'],
    queryFn: () => ok<Answer<'/scores'>>(api.GET('/scores', { params: { query: {} } })),
  });
  const reports = (scores.data?.items ?? []).filter((row) => row.employeeId !== session?.employeeId);
  const unit = reports[0]?.orgUnitId;
  const distribution = useQuery({
    enabled: Boolean(unit),
    queryKey: ['unit-scores', unit],
    queryFn: () =>
      ok<Answer<'/scores/org-units/{orgUnitId}'>>(
        api.GET('/scores/org-units/{orgUnitId}', { params: { path: { orgUnitId: unit! }, query: {} } }),
      ),
  });
  // The bands are the workflow's the team is appraised under (a cycle pins one version for all).
  const workflow = useWorkflow(reports[0]?.workflowId, reports[0]?.workflowVersion);
  const definition = workflow.data?.definition;
  const shares = useMemo(
    () =>
      distribution.data && definition
        ? gradeShares(
            distribution.data,
            definition.grades.map((g) => g.grade),
            definition.forcedDistribution ?? [],
          )
        : [],
    [distribution.data, definition],
  );
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', data: shares.map((s) => s.grade) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        { type: 'bar', name: t('team.share'), data: shares.map((s) => s.percent) },
        boundMarks(shares, 'max', t('team.max')),
        boundMarks(shares, 'min', t('team.min')),
      ],
    }),
    [shares, t],
  );
  const describe = (s: GradeShare) =>
    [
      t('team.gradeShare', { grade: s.grade, count: s.count, percent: s.percent }),
      s.max !== undefined ? t('team.atMost', { percent: s.max }) : null,
      s.min !== undefined ? t('team.atLeast', { percent: s.min }) : null,
    ]
      .filter(Boolean)
      .join(', ');
  if (scores.error)
    return <Alert type="error" message={t('common.error', { detail: scores.error.message })} />;
  const violations = distribution.data?.calibration.violations ?? [];
  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('team.title')}
      </Typography.Title>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('team.distribution')} {unit}
      </Typography.Title>
      {/* The unit's breaches of its bands, beside the chart (the chart's container holds the chart only). */}
      {violations.map((violation) => (
        <Alert
          key={`${violation.grade}-${violation.bound}`}
          type="warning"
          showIcon
          message={violation.message}
          style={{ marginBottom: 8 }}
        />
      ))}
      {/* Until the team, its unit's counts and its bands are in: a disabled query is not "loading",
          and an empty chart in the meantime would show a distribution of nobody. */}
      {scores.isPending || (Boolean(unit) && (distribution.isPending || workflow.isPending)) ? (
        <Skeleton active />
      ) : (
        <div
          data-testid="distribution"
          data-counts={JSON.stringify(Object.fromEntries(shares.map((s) => [s.grade, s.count])))}
          data-bands={JSON.stringify(
            shares
              .filter((s) => s.max !== undefined || s.min !== undefined)
              .map(({ grade, max, min }) => ({ grade, max, min })),
          )}
        >
          <Chart option={option} label={`${t('team.distribution')}: ${shares.map(describe).join('; ')}`} />
        </div>
      )}
      <Table<ScoreRow>
        rowKey="appraisalId"
        size="small"
        loading={scores.isLoading}
        dataSource={reports}
        columns={[
          {
            title: t('team.employee'),
            dataIndex: 'employeeId',
            render: (id: string, row) => <Link to={`/app/appraisals/${row.appraisalId}`}>{id}</Link>,
          },
          { title: t('team.running'), dataIndex: 'runningScore' },
          { title: t('team.grade'), dataIndex: 'runningGrade' },
          {
            title: t('team.days'),
            key: 'days',
            render: (_: unknown, row) =>
              row.employeeId && (
                <Link to={`/app/days?employeeId=${encodeURIComponent(row.employeeId)}`}>
                  {t('team.daysOf', { name: row.employeeId })}
                </Link>
              ),
          },
        ]}
      />
    </Card>
  );
}
