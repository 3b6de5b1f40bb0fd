import { Alert, Badge, Button, Card, Input, Space, Typography } from 'antd';
import { useFeedback } from '../../app/feedback';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, problemDetail, type Answer } from '../../api/client';
import { asYaml } from './yaml-body';
import { CompactTable, ListTable } from '../../app/ListTable';
import { placeholderLabelled } from '../../app/placeholder-labelled';

type Score = Answer<'/scores'>['items'][number];
/** The draft on chosen appraisals (POST /workflows/{id}/versions/what-if). */
type WhatIfAnswer = Answer<'/workflows/{workflowId}/versions/what-if', 'post'>;
type PeriodWhatIf = WhatIfAnswer['appraisals'][number]['periods'][number];
interface WhatIfRow extends PeriodWhatIf {
  key: string;
  appraisalId: string;
  employeeId: string | null;
}

/** Appraisals still running (the domain migrates only these). */
const RUNNING = new Set(['planning', 'in-progress', 'scored']);

/** The running appraisals pinned to this workflow, from the score read model. */
function useRunningAppraisals(workflowId: string) {
  return useQuery({
    queryKey: ['scores', 'workflow', workflowId],
    queryFn: async () =>
      (
        await ok<Answer<'/scores'>>(api.GET('/scores', { params: { query: { limit: 1000 } as never } }))
      ).items.filter((score) => score.workflowId === workflowId && RUNNING.has(score.status)),
  });
}

function AppraisalPicker({
  rows,
  selected,
  onSelect,
  label,
  loading,
}: {
  rows: Score[];
  selected: string[];
  onSelect: (ids: string[]) => void;
  label: string;
  loading: boolean;
}) {
  const { t } = useTranslation();
  return (
    <ListTable<Score>
      label={label}
      rowKey="appraisalId"
      loading={loading}
      dataSource={rows}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      rowSelection={{
        selectedRowKeys: selected,
        onChange: (keys) => onSelect(keys as string[]),
        getCheckboxProps: (row) => ({
          'aria-label': t('liveAppraisals.choose', { employee: row.employeeId ?? row.appraisalId }),
        }),
      }}
      empty={t('liveAppraisals.none')}
      columns={[
        {
          title: t('liveAppraisals.employee'),
          key: 'employee',
          render: (_, row) => row.employeeId ?? row.orgUnitId,
        },
        { title: t('liveAppraisals.unit'), dataIndex: 'orgUnitId' },
        { title: t('liveAppraisals.version'), dataIndex: 'workflowVersion', render: (v: number) => `v${v}` },
        { title: t('liveAppraisals.status'), dataIndex: 'status' },
        { title: t('liveAppraisals.appraisal'), dataIndex: 'appraisalId' },
      ]}
    />
  );
}

/** The valid draft applied to chosen running appraisals: each filed period under the draft beside today's. */
export function DraftWhatIf({ workflowId, draft }: { workflowId: string; draft: string }) {
  const { t } = useTranslation();
  const running = useRunningAppraisals(workflowId);
  const [selected, setSelected] = useState<string[]>([]);
  const whatIf = useMutation({
    mutationFn: (ids: string[]) =>
      ok<WhatIfAnswer>(
        api.POST('/workflows/{workflowId}/versions/what-if', {
          params: { path: { workflowId }, query: { appraisalIds: ids.join(',') } },
          ...asYaml(draft),
        }),
      ),
  });
  const rows: WhatIfRow[] = (whatIf.data?.appraisals ?? []).flatMap((appraisal) =>
    appraisal.periods.map((period) => ({
      key: `${appraisal.appraisalId}/${period.periodId}`,
      appraisalId: appraisal.appraisalId,
      employeeId: appraisal.employeeId,
      ...period,
    })),
  );
  const grade = (score: { score: string; grade: string; workflowVersion: number } | null) =>
    score ? `${score.score} (${score.grade}, v${score.workflowVersion})` : '—';
  return (
    <Card title={t('liveAppraisals.whatIfTitle')} data-testid="draft-what-if">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ margin: 0 }}>{t('liveAppraisals.whatIfIntro')}</Typography.Paragraph>
        <AppraisalPicker
          rows={running.data ?? []}
          selected={selected}
          onSelect={setSelected}
          label={t('liveAppraisals.running')}
          loading={running.isLoading}
        />
        <Button
          disabled={selected.length === 0}
          loading={whatIf.isPending}
          onClick={() => whatIf.mutate(selected)}
        >
          {t('liveAppraisals.whatIf', { count: selected.length })}
        </Button>
        {whatIf.error && <Alert role="alert" type="error" showIcon message={problemDetail(whatIf.error)} />}
        {whatIf.data && (
          <ListTable<WhatIfRow>
            label={t('liveAppraisals.results')}
            rowKey="key"
            dataSource={rows}
            empty={t('liveAppraisals.noPeriods')}
            columns={[
              {
                title: t('liveAppraisals.employee'),
                key: 'employee',
                render: (_, row) => row.employeeId ?? row.appraisalId,
              },
              { title: t('liveAppraisals.period'), dataIndex: 'periodId' },
              { title: t('liveAppraisals.today'), key: 'today', render: (_, row) => grade(row.recorded) },
              { title: t('liveAppraisals.underDraft'), key: 'draft', render: (_, row) => grade(row.whatIf) },
              {
                title: t('liveAppraisals.difference'),
                dataIndex: 'difference',
                render: (difference: string | null) =>
                  difference === null ? '—' : Number(difference) > 0 ? `+${difference}` : difference,
              },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}

interface Migrated {
  appraisalId: string;
  outcome: 'migrated' | 'refused';
  detail?: string;
}

/** Running appraisals moved to the latest version, explicitly and one by one (each answers for itself). */
export function MigrateAppraisals({ workflowId, latest }: { workflowId: string; latest: number }) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const client = useQueryClient();
  const running = useRunningAppraisals(workflowId);
  const older = (running.data ?? []).filter((score) => score.workflowVersion < latest);
  const [selected, setSelected] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const migrate = useMutation({
    mutationFn: async (ids: string[]): Promise<Migrated[]> => {
      const results: Migrated[] = [];
      for (const appraisalId of ids) {
        try {
          await ok(
            api.POST('/appraisals/{appraisalId}/migrate-workflow-version', {
              params: { path: { appraisalId } },
              body: { toVersion: latest, ...(reason ? { reason } : {}) } as never,
            }),
          );
          results.push({ appraisalId, outcome: 'migrated' });
        } catch (error) {
          results.push({
            appraisalId,
            outcome: 'refused',
            detail: problemDetail(error),
          });
        }
      }
      return results;
    },
    onSuccess: (results) => {
      const count = results.filter((r) => r.outcome === 'migrated').length;
      void message.success(t('liveAppraisals.migrated', { count, version: latest }));
      setSelected([]);
      void client.invalidateQueries({ queryKey: ['scores'] });
    },
  });
  return (
    <Card title={t('liveAppraisals.migrateTitle', { version: latest })}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ margin: 0 }}>
          {t('liveAppraisals.migrateIntro', { version: latest })}
        </Typography.Paragraph>
        <AppraisalPicker
          rows={older}
          selected={selected}
          onSelect={setSelected}
          label={t('liveAppraisals.older', { version: latest })}
          loading={running.isLoading}
        />
        <Input
          {...placeholderLabelled(t('liveAppraisals.reason'), reason, setReason)}
          style={{ maxWidth: 480 }}
        />
        <Button
          type="primary"
          disabled={selected.length === 0}
          loading={migrate.isPending}
          onClick={() => migrate.mutate(selected)}
        >
          {t('liveAppraisals.migrate', { count: selected.length, version: latest })}
        </Button>
        {migrate.data && (
          <CompactTable<Migrated>
            aria-label={t('liveAppraisals.migration')}
            rowKey="appraisalId"
            dataSource={migrate.data}
            columns={[
              { title: t('liveAppraisals.appraisal'), dataIndex: 'appraisalId' },
              {
                title: t('liveAppraisals.outcome'),
                key: 'outcome',
                render: (_, row) => (
                  <Badge
                    status={row.outcome === 'migrated' ? 'success' : 'error'}
                    text={
                      row.outcome === 'migrated'
                        ? t('liveAppraisals.outcomes.migrated', { version: latest })
                        : t('liveAppraisals.outcomes.refused', { detail: row.detail })
                    }
                  />
                ),
              },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}
