import { Alert, Card, Input, Segmented, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Answer } from '../../api/client';
import { LazyChart } from '../../app/LazyChart';
import { countBars, countBarsLabel } from '../../app/count-bars';
import { slaByGroup, type SlaRow } from './sla-by-group';
import { Page } from '../../app/Page';
import { ListTable } from '../../app/ListTable';
import { placeholderLabelled } from '../../app/placeholder-labelled';

type Grouping = 'unit' | 'person' | 'process-owner';
const MEASURES = ['onTime', 'late', 'overdue', 'escalated'] as const;
const COLOURS = { onTime: '#237804', late: '#ad4e00', overdue: '#a8071a', escalated: '#531dab' };

/** The SLA view: steps by unit, person or process owner, on time, late, overdue and escalated. */
export function SlaPage() {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<Grouping>('unit');
  const [cycleId, setCycleId] = useState('');
  const report = useQuery({
    queryKey: ['inbox', 'sla', groupBy, cycleId],
    queryFn: () =>
      ok<Answer<'/inbox/sla'>>(
        api.GET('/inbox/sla', {
          params: { query: { groupBy, ...(cycleId ? { cycleId } : {}) } as never },
        }),
      ),
  });
  const groups = useMemo(() => slaByGroup(report.data?.items ?? []), [report.data]);
  const title = t(`sla.by.${groupBy}`);
  const chart = useMemo(() => {
    const names = groups.map((group) => group.group);
    const series = MEASURES.map((measure) => ({
      name: t(`sla.measures.${measure}`),
      data: groups.map((group) => group[measure]),
      color: COLOURS[measure],
    }));
    return {
      option: countBars(names, series),
      label: countBarsLabel(title, names, series, (name, count) => `${name} ${count}`),
    };
  }, [groups, title, t]);
  return (
    <Page title={t('sla.title')}>
      <Card>
        <Space wrap>
          <Segmented<Grouping>
            aria-label={t('sla.groupBy')}
            value={groupBy}
            onChange={setGroupBy}
            options={(['unit', 'person', 'process-owner'] as const).map((value) => ({
              value,
              label: t(`sla.groupings.${value}`),
            }))}
          />
          <Input
            {...placeholderLabelled(t('sla.cycle'), cycleId, (typed) => setCycleId(typed.trim()))}
            style={{ width: 200 }}
            allowClear
          />
        </Space>
      </Card>
      {report.error && <Alert type="error" showIcon message={report.error.message} />}
      <Card title={title}>
        {groups.length === 0 ? <Typography.Text>{t('sla.none')}</Typography.Text> : <LazyChart {...chart} />}
      </Card>
      <Card title={t('sla.steps')}>
        <ListTable<SlaRow>
          label={t('sla.steps')}
          rowKey={(row) => `${row.group}/${row.kind}`}
          loading={report.isLoading}
          dataSource={report.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          empty={t('sla.none')}
          columns={[
            { title: t(`sla.groupings.${groupBy}`), dataIndex: 'group' },
            { title: t('sla.kind'), dataIndex: 'kind' },
            { title: t('sla.opened'), dataIndex: 'opened' },
            { title: t('sla.completed'), dataIndex: 'completed' },
            ...MEASURES.map((measure) => ({ title: t(`sla.measures.${measure}`), dataIndex: measure })),
            { title: t('sla.open'), dataIndex: 'open' },
            {
              title: t('sla.compliance'),
              dataIndex: 'compliance',
              render: (compliance: string | null) => (compliance === null ? '—' : `${compliance} %`),
            },
          ]}
        />
      </Card>
    </Page>
  );
}
