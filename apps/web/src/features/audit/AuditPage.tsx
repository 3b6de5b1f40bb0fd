import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Progress,
  Row,
  Select,
  Skeleton,
  Slider,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { useSession } from '../../app/session';
import { useAppraisals, useAuditTrail, useScoreAsOf, type AuditEntry, type ChainReport } from './queries';
import { Page } from '../../app/Page';
import { CompactTable } from '../../app/ListTable';

/** The auditor's screen: an appraisal's trail, the appraisal as it stood at any event, the chain, export. */
export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const appraisalId = params.get('appraisalId') ?? undefined;
  const appraisals = useAppraisals();
  return (
    <Page title={t('audit.title')}>
      <ChainCard />
      <Card title={t('audit.appraisal')}>
        <Select
          aria-label={t('audit.appraisal')}
          showSearch
          style={{ width: '100%', maxWidth: 640 }}
          placeholder={t('audit.pickAppraisal')}
          loading={appraisals.isLoading}
          value={appraisalId}
          optionFilterProp="label"
          onChange={(value: string) => setParams({ appraisalId: value })}
          options={(appraisals.data?.items ?? []).map((item) => ({
            value: item.appraisalId,
            label: `${item.employeeId ?? '—'} · ${item.cycleId} · ${item.appraisalId}`,
          }))}
        />
      </Card>
      {appraisalId ? (
        <AppraisalAudit appraisalId={appraisalId} />
      ) : (
        <Empty description={t('audit.pickAppraisal')} />
      )}
    </Page>
  );
}

function ChainCard() {
  const { t } = useTranslation();
  const verify = useMutation({
    mutationFn: () => ok<ChainReport>(api.GET('/audit/verify')),
  });
  const report = verify.data;
  return (
    <Card title={t('audit.chain.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ margin: 0 }}>{t('audit.chain.intro')}</Typography.Paragraph>
        <Button type="primary" loading={verify.isPending} onClick={() => verify.mutate()}>
          {t('audit.chain.verify')}
        </Button>
        {verify.error && <Alert type="error" showIcon message={verify.error.message} />}
        {report && (
          <Alert
            role="status"
            type={report.ok ? 'success' : 'error'}
            showIcon
            message={
              report.ok
                ? t('audit.chain.intact', { events: report.eventsChecked, streams: report.streamsChecked })
                : t('audit.chain.broken', {
                    stream: report.firstBreak?.streamId,
                    revision: report.firstBreak?.revision,
                    problem: report.firstBreak?.problem,
                  })
            }
            description={
              <Space direction="vertical" size={0}>
                <span>{t('audit.chain.checkpoints', { count: report.checkpointsChecked })}</span>
                {report.headHash && (
                  <span>
                    {t('audit.chain.head')} <Typography.Text code>{report.headHash}</Typography.Text>
                  </span>
                )}
                <span>{t('audit.chain.at', { at: new Date(report.verifiedAt).toLocaleString() })}</span>
              </Space>
            }
          />
        )}
      </Space>
    </Card>
  );
}

function AppraisalAudit({ appraisalId }: { appraisalId: string }) {
  const { t } = useTranslation();
  const trail = useAuditTrail(appraisalId);
  const entries = trail.data?.items ?? [];
  const [index, setIndex] = useState<number | null>(null);
  // A new appraisal (or the trail first loaded) starts at its latest event.
  useEffect(() => setIndex(null), [appraisalId]);
  const at = index ?? entries.length - 1;
  const moment: AuditEntry | undefined = entries[at];
  const asOf = useScoreAsOf(appraisalId, moment?.position);
  if (trail.isLoading) return <Skeleton active />;
  if (trail.error) return <Alert type="error" showIcon message={trail.error.message} />;
  if (entries.length === 0) return <Alert type="info" showIcon message={t('audit.noTrail')} />;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('audit.asOf.title')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph style={{ margin: 0 }}>{t('audit.asOf.intro')}</Typography.Paragraph>
          <Slider
            min={0}
            max={entries.length - 1}
            value={at}
            onChange={(value: number) => setIndex(value)}
            ariaLabelForHandle={t('audit.asOf.slider')}
            ariaValueTextFormatterForHandle={(value) => describe(entries[value ?? 0])}
            tooltip={{ formatter: (value) => describe(entries[value ?? 0]) }}
          />
          {moment && (
            <Typography.Text data-testid="as-of-moment">
              {t('audit.asOf.moment', {
                number: at + 1,
                total: entries.length,
                type: moment.type,
                at: new Date(moment.recordedAt).toLocaleString(),
              })}
            </Typography.Text>
          )}
          {asOf.error && <Alert type="error" showIcon message={asOf.error.message} />}
          {asOf.data && (
            <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('audit.asOf.status')}>{asOf.data.status}</Descriptions.Item>
              <Descriptions.Item label={t('audit.asOf.workflowVersion')}>
                {asOf.data.workflowVersion ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('audit.asOf.grade')}>
                <Typography.Text strong data-testid="as-of-grade">
                  {asOf.data.annualGrade ?? t('audit.asOf.notScored')}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('audit.asOf.score')}>
                <span data-testid="as-of-score">{asOf.data.annualScore ?? '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('audit.asOf.periods')} span={2}>
                <Space wrap>
                  {asOf.data.periods.map((period) => (
                    <Tag key={period.periodId}>
                      {period.periodId}: {`${period.score} (${period.grade})`}
                    </Tag>
                  ))}
                </Space>
              </Descriptions.Item>
            </Descriptions>
          )}
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('audit.timeline')}>
            <Timeline
              items={entries.map((entry, i) => ({
                key: entry.position,
                color: i === at ? 'blue' : 'gray',
                children: (
                  <Space direction="vertical" size={0}>
                    <Typography.Text strong>{entry.type}</Typography.Text>
                    <Typography.Text type="secondary">
                      {t('audit.line', {
                        at: new Date(entry.recordedAt).toLocaleString(),
                        actor: entry.actorId ?? entry.anonymousActorId ?? '—',
                        role: t(`roles.${entry.actorRole}`, entry.actorRole),
                        revision: entry.streamRevision,
                      })}
                    </Typography.Text>
                    {entry.ruleVersion && (
                      <Typography.Text type="secondary">
                        {t('audit.ruleVersion', { version: entry.ruleVersion })}
                      </Typography.Text>
                    )}
                    <Button size="small" type="link" style={{ padding: 0 }} onClick={() => setIndex(i)}>
                      {t('audit.asOf.show')}
                    </Button>
                  </Space>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <ExportCard appraisalId={appraisalId} />
        </Col>
      </Row>
    </Space>
  );
}

const describe = (entry: AuditEntry | undefined) =>
  entry ? `#${entry.streamRevision} ${entry.type} ${new Date(entry.recordedAt).toLocaleString()}` : '';

/** Export streams from the API; the bytes received so far show as progress, the file is saved at the end. */
function ExportCard({ appraisalId }: { appraisalId: string }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const [state, setState] = useState<{ format: string; lines: number; done: boolean; error?: string } | null>(
    null,
  );
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const run = async (format: 'csv' | 'json') => {
    setState({ format, lines: 0, done: false });
    try {
      const response = await fetch(
        `/audit/export?${new URLSearchParams({ appraisalId, format }).toString()}`,
        { headers: { Authorization: `Bearer ${session?.token ?? ''}` } },
      );
      if (!response.ok || !response.body) throw new Error(`${response.status} ${response.statusText}`);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        setState({ format, lines: text.split('\n').length - 1, done: false });
      }
      const lines = text.split('\n').filter(Boolean);
      setState({ format, lines: lines.length, done: true });
      if (format === 'json') setEntries(lines.slice(0, 5).map((line) => JSON.parse(line) as AuditEntry));
      const url = URL.createObjectURL(
        new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `audit-${appraisalId}.${format === 'csv' ? 'csv' : 'jsonl'}`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setState({ format, lines: 0, done: true, error: (error as Error).message });
    }
  };
  return (
    <Card title={t('audit.export.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ margin: 0 }}>{t('audit.export.intro')}</Typography.Paragraph>
        <Space>
          <Button onClick={() => void run('csv')} disabled={state !== null && !state.done}>
            {t('audit.export.csv')}
          </Button>
          <Button onClick={() => void run('json')} disabled={state !== null && !state.done}>
            {t('audit.export.jsonl')}
          </Button>
        </Space>
        {state && !state.error && (
          <>
            <Progress percent={state.done ? 100 : 50} status={state.done ? 'success' : 'active'} />
            <Typography.Text role="status">
              {state.done
                ? t('audit.export.done', { lines: state.lines, format: state.format })
                : t('audit.export.running', { lines: state.lines })}
            </Typography.Text>
          </>
        )}
        {state?.error && <Alert type="error" showIcon message={state.error} />}
        {entries.length > 0 && (
          <CompactTable<AuditEntry>
            rowKey="position"
            dataSource={entries}
            columns={[
              { title: t('audit.export.position'), dataIndex: 'position' },
              { title: t('audit.export.type'), dataIndex: 'type' },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}
