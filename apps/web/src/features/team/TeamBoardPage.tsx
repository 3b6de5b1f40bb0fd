import { Alert, Card, Skeleton, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { LazyChart as Chart } from '../../app/LazyChart';
import { useSession } from '../../app/session';

interface ScoreRow {
  appraisalId: string;
  employeeId: string;
  orgUnitId: string;
  runningScore: string | null;
  runningGrade: string | null;
}
interface UnitScores {
  running: { count: number; grades: { grade: string; count: number }[] };
}

/** Each report's running score and grade, and the unit's grade distribution. */
export function TeamBoardPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const scores = useQuery({
    queryKey: ['scores'],
    queryFn: () => ok<{ items: ScoreRow[] }>(api.GET('/scores', { params: { query: {} } })),
  });
  const reports = (scores.data?.items ?? []).filter((row) => row.employeeId !== session?.employeeId);
  const unit = reports[0]?.orgUnitId;
  const distribution = useQuery({
    enabled: Boolean(unit),
    queryKey: ['unit-scores', unit],
    queryFn: () =>
      ok<UnitScores>(
        api.GET('/scores/org-units/{orgUnitId}', { params: { path: { orgUnitId: unit! }, query: {} } }),
      ),
  });
  const grades = distribution.data?.running.grades ?? [];
  const option = useMemo(
    () => ({
      tooltip: {},
      xAxis: { type: 'category', data: grades.map((g) => g.grade) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('team.count'), data: grades.map((g) => g.count) }],
    }),
    [grades, t],
  );
  if (scores.error)
    return <Alert type="error" message={t('common.error', { detail: scores.error.message })} />;
  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('team.title')}
      </Typography.Title>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('team.distribution')} {unit}
      </Typography.Title>
      {/* Until the team and then its unit's counts are in: a disabled query is not "loading", and an
          empty chart in the meantime would show a distribution of nobody. */}
      {scores.isPending || (Boolean(unit) && distribution.isPending) ? (
        <Skeleton active />
      ) : (
        <div
          data-testid="distribution"
          data-counts={JSON.stringify(Object.fromEntries(grades.map((g) => [g.grade, g.count])))}
        >
          <Chart
            option={option}
            label={`${t('team.distribution')}: ${grades.map((g) => `${g.grade} ${g.count}`).join(', ')}`}
          />
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
        ]}
      />
    </Card>
  );
}
