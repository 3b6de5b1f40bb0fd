import { Alert, Badge, Button, Card, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Answer } from '../../api/client';
import { useDialogWrite } from '../../app/forms';
import { FormModal } from '../../app/FormModal';
import { LazyChart } from '../../app/LazyChart';
import { countBars, countBarsLabel } from '../../app/count-bars';
import { Page } from '../../app/Page';
import { CompactTable } from '../../app/ListTable';

/** A unit of the directory (GET /directory). */
type OrgUnit = Answer<'/directory'>['orgUnits'][number];
/** A unit's grade distribution and calibration status (GET /scores/org-units/{orgUnitId}). */
type UnitScores = Answer<'/scores/org-units/{orgUnitId}'>;
/** An appraisal's score row (GET /scores). */
type Score = Answer<'/scores'>['items'][number];

const GRADES = ['A', 'B', 'C', 'D'];

/** HR's calibration across units: each unit's grade distribution side by side, and a calibration with its reason. */
export function CalibrationPage() {
  const { t } = useTranslation();
  const [cycleId, setCycleId] = useState('');
  const query = cycleId ? { cycleId } : {};
  const directory = useQuery({
    queryKey: ['directory'],
    queryFn: () => ok<Answer<'/directory'>>(api.GET('/directory', { params: { query: {} } })),
  });
  const units = directory.data?.orgUnits ?? [];
  const distributions = useQueries({
    queries: units.map((unit) => ({
      queryKey: ['calibration', 'unit', unit.orgUnitId, cycleId],
      queryFn: () =>
        ok<UnitScores>(
          api.GET('/scores/org-units/{orgUnitId}', {
            params: { path: { orgUnitId: unit.orgUnitId }, query: { ...query, includeSubUnits: 'false' } },
          }),
        ),
    })),
  });
  const scores = useQuery({
    queryKey: ['calibration', 'scores', cycleId],
    queryFn: () =>
      ok<Answer<'/scores'>>(api.GET('/scores', { params: { query: { ...query, limit: 1000 } } })),
  });
  // Units with appraisals only; the annual grade where scored, else the running one.
  const rows = units
    .map((unit, index) => ({ unit, data: distributions[index]?.data }))
    .filter((row): row is { unit: OrgUnit; data: UnitScores } =>
      Boolean(row.data && row.data.appraisals > 0),
    );
  const countOf = (data: UnitScores, grade: string) =>
    (data.annual.grades.find((g) => g.grade === grade)?.count ?? 0) +
    (data.running.grades.find((g) => g.grade === grade)?.count ?? 0);
  const unitNames = rows.map((row) => row.unit.name ?? row.unit.orgUnitId);
  const gradeCounts = GRADES.map((grade) => ({
    name: grade,
    data: rows.map((row) => countOf(row.data, grade)),
  }));
  const option = useMemo(
    () => countBars(unitNames, gradeCounts),
    // The chart is redrawn when the counts change, not on every render's new arrays.
    [JSON.stringify(rows.map((row) => [row.unit.orgUnitId, row.data]))],
  );
  const chartLabel = countBarsLabel(
    t('calibration.distribution'),
    unitNames,
    gradeCounts,
    (grade, count) => `${grade} ${count}`,
  );
  return (
    <Page title={t('calibration.title')}>
      <Card>
        <label>
          {t('calibration.cycle')}{' '}
          <Input
            value={cycleId}
            onChange={(event) => setCycleId(event.target.value.trim())}
            placeholder={t('calibration.allCycles')}
            style={{ width: 220 }}
          />
        </label>
      </Card>
      <Card title={t('calibration.distribution')}>
        {directory.error && <Alert type="warning" showIcon message={directory.error.message} />}
        {rows.length === 0 ? (
          <Typography.Text>{t('calibration.none')}</Typography.Text>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <LazyChart option={option} label={chartLabel} height={300} />
            <CompactTable
              aria-label={t('calibration.units')}
              rowKey={(row) => row.unit.orgUnitId}
              dataSource={rows}
              columns={[
                {
                  title: t('calibration.unit'),
                  key: 'unit',
                  render: (_, row) => row.unit.name ?? row.unit.orgUnitId,
                },
                ...GRADES.map((grade) => ({
                  title: grade,
                  key: grade,
                  render: (_: unknown, row: { data: UnitScores }) => countOf(row.data, grade),
                })),
                {
                  title: t('calibration.status'),
                  key: 'status',
                  render: (_, row) => (
                    <Space direction="vertical" size={0}>
                      <span>{row.data.calibration.status}</span>
                      {row.data.calibration.violations.map((v, i) => (
                        <Badge
                          key={i}
                          status="error"
                          text={t('calibration.violation', { grade: v.grade, bound: v.bound })}
                        />
                      ))}
                    </Space>
                  ),
                },
              ]}
            />
          </Space>
        )}
      </Card>
      <ScoresCard scores={scores.data?.items ?? []} loading={scores.isLoading} />
    </Page>
  );
}

function ScoresCard({ scores, loading }: { scores: Score[]; loading: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const calibrate = useDialogWrite<Score, { grade?: string; reason: string }>({
    send: (values, { appraisalId }) =>
      ok(
        api.POST('/appraisals/{appraisalId}/calibrate-appraisal', {
          params: { path: { appraisalId } },
          body: values as never,
        }),
      ),
    done: () => t('calibration.done'),
    onDone: () => void client.invalidateQueries({ queryKey: ['calibration'] }),
  });
  return (
    <Card title={t('calibration.appraisals')}>
      <Table<Score>
        aria-label={t('calibration.appraisals')}
        size="small"
        rowKey="appraisalId"
        loading={loading}
        dataSource={scores}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('calibration.employee'), dataIndex: 'employeeId' },
          { title: t('calibration.unit'), dataIndex: 'orgUnitId' },
          { title: t('calibration.status'), dataIndex: 'status' },
          {
            title: t('calibration.annual'),
            key: 'annual',
            render: (_, s) => (s.annualGrade ? `${s.annualGrade} (${s.annualScore})` : '—'),
          },
          {
            title: t('calibration.running'),
            dataIndex: 'runningGrade',
            render: (g: string | null) => g ?? '—',
          },
          {
            title: '',
            key: 'calibrate',
            render: (_, s) => (
              <Button
                size="small"
                disabled={s.status !== 'scored'}
                aria-label={`${t('calibration.calibrate')} ${s.employeeId ?? s.appraisalId}`}
                onClick={() => calibrate.choose(s)}
              >
                {t('calibration.calibrate')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal
        {...calibrate.modal}
        title={t('calibration.calibrateTitle', { employee: calibrate.chosen?.employeeId ?? '' })}
        okText={t('calibration.calibrate')}
        cancelText={t('common.cancel')}
      >
        <Form.Item name="grade" label={t('calibration.grade')}>
          <Select allowClear options={GRADES.map((grade) => ({ value: grade, label: grade }))} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('calibration.reason')}
          rules={[{ required: true, message: t('calibration.reasonRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
