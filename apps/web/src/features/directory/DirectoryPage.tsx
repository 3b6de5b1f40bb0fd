import { Alert, Badge, Button, Card, Input, Space, Table, Tree, Typography, Upload } from 'antd';
import { useFeedback } from '../../app/feedback';
import type { DataNode } from 'antd/es/tree';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Answer } from '../../api/client';
import { useActionMutation } from '../../app/forms';
import { orgChartOf, type DirectoryAnswer, type Employee, type UnitNode } from './org-chart';
import { Page } from '../../app/Page';
import { placeholderLabelled } from '../../app/placeholder-labelled';

type Preview = Answer<'/directory/import/preview', 'post'>;

const DIRECTORY = ['directory'] as const;

/** A CSV body for the import routes (the generated client types their JSON form only). */
const asCsv = (csv: string) => ({
  body: csv as never,
  bodySerializer: (body: unknown) => body as string,
  headers: { 'Content-Type': 'text/csv' },
});

/** HR's directory: the org chart as of today, and a CSV import previewed row by row before anything is written. */
export function DirectoryPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('directory.title')}>
      <ImportCard />
      <OrgChart />
    </Page>
  );
}

/** The org chart: units nested under their parent, each with its head and people, searchable by name or id. */
function OrgChart() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const directory = useQuery({
    queryKey: DIRECTORY,
    queryFn: () => ok<DirectoryAnswer>(api.GET('/directory', { params: { query: {} } })),
  });
  const tree = useMemo(() => {
    if (!directory.data) return [];
    const who = (employee: Employee) =>
      employee.name ? `${employee.name} (${employee.employeeId})` : employee.employeeId;
    const node = ({ unit, head, people, children }: UnitNode): DataNode => ({
      key: `unit:${unit.orgUnitId}`,
      title: (
        <span data-unit-id={unit.orgUnitId}>
          <Typography.Text strong>{unit.name ?? unit.orgUnitId}</Typography.Text> ({unit.orgUnitId},{' '}
          {unit.kind}) · {head ? t('directory.head', { head: who(head) }) : t('directory.noHead')}
        </span>
      ),
      children: [
        ...people.map((employee) => ({
          key: `employee:${employee.employeeId}`,
          isLeaf: true,
          title: [
            employee.employeeId,
            employee.name,
            employee.position,
            employee.managerId && t('directory.reportsTo', { manager: employee.managerId }),
          ]
            .filter(Boolean)
            .join(' · '),
        })),
        ...children.map(node),
      ],
    });
    return orgChartOf(directory.data, search).map(node);
  }, [directory.data, search, t]);
  return (
    <Card title={t('directory.chart', { date: directory.data?.asOf ?? '' })}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.Search
          {...placeholderLabelled(t('directory.search'), search, setSearch)}
          allowClear
          style={{ maxWidth: 360 }}
        />
        {directory.error && <Alert type="warning" showIcon message={directory.error.message} />}
        {directory.data && tree.length === 0 && (
          <Typography.Text role="status">{t('directory.noMatch', { search })}</Typography.Text>
        )}
        {directory.data && (
          <Tree
            aria-label={t('directory.chartLabel')}
            treeData={tree}
            defaultExpandAll
            // A new answer or a new search opens the whole (filtered) tree again.
            key={`${directory.dataUpdatedAt}:${search}`}
            data-testid="org-chart"
          />
        )}
      </Space>
    </Card>
  );
}

function ImportCard() {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const client = useQueryClient();
  const [csv, setCsv] = useState('');
  const [previewed, setPreviewed] = useState<{ csv: string; preview: Preview } | null>(null);
  const preview = useMutation({
    mutationFn: (text: string) => ok<Preview>(api.POST('/directory/import/preview', asCsv(text))),
    onSuccess: (result, text) => setPreviewed({ csv: text, preview: result }),
    onError: (error) => {
      setPreviewed(null);
      void message.error(error.message);
    },
  });
  const importRows = useActionMutation({
    mutationFn: (text: string) =>
      ok<Answer<'/directory/import', 'post'>>(api.POST('/directory/import', asCsv(text))),
    onSuccess: (result) => {
      void message.success(t('directory.import.done', { rows: result.imported, events: result.events }));
      setPreviewed(null);
      setCsv('');
      void client.invalidateQueries({ queryKey: DIRECTORY });
    },
  });
  // The import button needs a preview of exactly the text to import, with every row accepted.
  const current = previewed?.csv === csv ? previewed.preview : null;
  return (
    <Card title={t('directory.import.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ margin: 0 }}>{t('directory.import.intro')}</Typography.Paragraph>
        <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>
          command,orgUnitId,parentId,kind,name,employeeId,managerId,position,effectiveFrom
        </Typography.Text>
        <Upload
          accept=".csv,text/csv"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then(setCsv);
            return false;
          }}
        >
          <Button>{t('directory.import.file')}</Button>
        </Upload>
        <Input.TextArea
          {...placeholderLabelled(t('directory.import.csv'), csv, setCsv)}
          autoSize={{ minRows: 4, maxRows: 16 }}
          style={{ fontFamily: 'monospace' }}
        />
        <Space>
          <Button
            onClick={() => preview.mutate(csv)}
            loading={preview.isPending}
            disabled={csv.trim() === ''}
          >
            {t('directory.import.preview')}
          </Button>
          <Button
            type="primary"
            onClick={() => importRows.mutate(csv)}
            loading={importRows.isPending}
            disabled={!current?.importable}
          >
            {t('directory.import.import')}
          </Button>
        </Space>
        {current && (
          <>
            <Alert
              role="status"
              type={current.importable ? 'success' : 'warning'}
              showIcon
              message={
                current.importable
                  ? t('directory.import.ready', { rows: current.accepted })
                  : t('directory.import.refused', { refused: current.refused, rows: current.rows.length })
              }
              description={current.importable ? undefined : t('directory.import.nothingWritten')}
            />
            <Table
              aria-label={t('directory.import.rows')}
              size="small"
              rowKey="row"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={current.rows}
              columns={[
                { title: t('directory.import.row'), dataIndex: 'row', width: 70 },
                {
                  title: t('directory.import.command'),
                  dataIndex: 'command',
                  render: (v: string | null) => v ?? '—',
                },
                { title: t('directory.import.id'), dataIndex: 'id', render: (v: string | null) => v ?? '—' },
                {
                  title: t('directory.import.outcome'),
                  key: 'outcome',
                  render: (_, row) =>
                    row.accepted ? (
                      <Badge status="success" text={t('directory.import.accepted')} />
                    ) : (
                      <Space direction="vertical" size={0}>
                        <Badge status="error" text={t('directory.import.refusedRow')} />
                        {row.issues.map((issue, index) => (
                          <Typography.Text key={index}>
                            {t('directory.import.reason', { path: issue.path, message: issue.message })}
                          </Typography.Text>
                        ))}
                      </Space>
                    ),
                },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
