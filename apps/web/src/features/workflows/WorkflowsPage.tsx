import { Alert, Button, Card, Input, Select, Space, Tag, Typography } from 'antd';
import { useFeedback } from '../../app/feedback';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { stringify } from 'yaml';
import { ApiProblem, api, ok, type Answer } from '../../api/client';
import { DraftWhatIf, MigrateAppraisals } from './LiveAppraisals';
import { lineOf } from './line-of';
import { asYaml } from './yaml-body';
import { IdLookup, Page, useIdParam } from '../../app/Page';
import { ListTable } from '../../app/ListTable';

type Summary = Answer<'/workflows/{workflowId}'>;
/** One change between two versions (GET /workflows/{id}/diff; the draft's preview lists the same). */
type Change = Answer<'/workflows/{workflowId}/diff'>['changes'][number];
/** A draft checked as publishing would check it, and its diff (POST /workflows/{id}/versions/preview). */
type Preview = Answer<'/workflows/{workflowId}/versions/preview', 'post'>;
/** A problem the API named, placed on the line of the draft it concerns. */
interface LineProblem {
  line: number;
  path: string;
  message: string;
}

const show = (value: unknown) => (value === undefined ? '' : JSON.stringify(value));

/**
 * The process owner's workflows: versions, an editor checked by the API line by line, the diff, the
 * draft's what-if on running appraisals, publish, and the explicit migration of running appraisals.
 */
export function WorkflowsPage() {
  const { t } = useTranslation();
  const [workflowId, show] = useIdParam('workflowId');
  return (
    <Page title={t('workflows.title')}>
      <Card>
        <IdLookup
          label={t('workflows.workflowId')}
          action={t('workflows.open')}
          value={workflowId}
          onShow={show}
        />
      </Card>
      {workflowId && <Workflow workflowId={workflowId} />}
    </Page>
  );
}

function Workflow({ workflowId }: { workflowId: string }) {
  const { t } = useTranslation();
  const summary = useQuery({
    queryKey: ['workflows', workflowId],
    queryFn: () => ok<Summary>(api.GET('/workflows/{workflowId}', { params: { path: { workflowId } } })),
  });
  if (summary.error) return <Alert type="error" showIcon message={summary.error.message} />;
  if (!summary.data) return null;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('workflows.versions', { id: workflowId })}>
        <Space wrap>
          <Tag>{summary.data.status}</Tag>
          {summary.data.versions.map((version) => (
            <Tag key={version}>v{version}</Tag>
          ))}
        </Space>
      </Card>
      <Editor workflowId={workflowId} latest={summary.data.latestVersion} />
      <VersionDiff workflowId={workflowId} versions={summary.data.versions} />
      {summary.data.latestVersion > 1 && (
        <MigrateAppraisals workflowId={workflowId} latest={summary.data.latestVersion} />
      )}
    </Space>
  );
}

function ChangesTable({ changes }: { changes: Change[] }) {
  const { t } = useTranslation();
  return (
    <ListTable<Change>
      label={t('workflows.changes')}
      rowKey="path"
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      dataSource={changes}
      empty={t('workflows.noChanges')}
      columns={[
        { title: t('workflows.path'), dataIndex: 'path', render: (path: string) => <code>{path}</code> },
        { title: t('workflows.op'), dataIndex: 'op', render: (op: string) => t(`workflows.ops.${op}`) },
        { title: t('workflows.from'), dataIndex: 'from', render: show },
        { title: t('workflows.to'), dataIndex: 'to', render: show },
      ]}
    />
  );
}

function Editor({ workflowId, latest }: { workflowId: string; latest: number }) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const client = useQueryClient();
  const current = useQuery({
    queryKey: ['workflows', workflowId, 'versions', latest],
    queryFn: () =>
      ok(
        api.GET('/workflows/{workflowId}/versions/{version}', {
          params: { path: { workflowId, version: String(latest) } },
        }),
      ),
  });
  const [draft, setDraft] = useState('');
  useEffect(() => {
    if (current.data) setDraft(stringify(current.data.definition));
  }, [current.data]);
  const [checked, setChecked] = useState<{
    draft: string;
    preview?: Preview;
    problems?: LineProblem[];
    detail?: string;
  } | null>(null);
  const toProblems = (text: string, error: unknown) => {
    if (!(error instanceof ApiProblem)) return { draft: text, problems: [], detail: String(error) };
    return {
      draft: text,
      detail: error.problem.detail,
      problems: (error.problem.errors ?? []).map((issue) => ({
        line: lineOf(text, issue.path ?? ''),
        path: issue.path ?? '',
        message: issue.message ?? issue.rule ?? '',
      })),
    };
  };
  const check = useMutation({
    mutationFn: (text: string) =>
      ok<Preview>(
        api.POST('/workflows/{workflowId}/versions/preview', {
          params: { path: { workflowId }, query: { expectedVersion: latest } },
          ...asYaml(text),
        }),
      ),
    onSuccess: (preview, text) => setChecked({ draft: text, preview }),
    onError: (error, text) => setChecked(toProblems(text, error)),
  });
  const publish = useMutation({
    mutationFn: (text: string) =>
      ok(
        api.POST('/workflows/{workflowId}/versions', {
          params: { path: { workflowId }, query: { expectedVersion: latest } },
          ...asYaml(text),
        }),
      ),
    onSuccess: () => {
      void message.success(t('workflows.published', { version: latest + 1 }));
      setChecked(null);
      void client.invalidateQueries({ queryKey: ['workflows', workflowId] });
    },
    onError: (error, text) => setChecked(toProblems(text, error)),
  });
  const result = checked?.draft === draft ? checked : null;
  const problemLines = useMemo(() => new Set((result?.problems ?? []).map((p) => p.line)), [result]);
  return (
    <Card title={t('workflows.editor', { version: latest + 1 })}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ margin: 0 }}>
          {t('workflows.editorIntro', { version: latest })}
        </Typography.Paragraph>
        <Input.TextArea
          aria-label={t('workflows.draft')}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          autoSize={{ minRows: 12, maxRows: 30 }}
          spellCheck={false}
          style={{ fontFamily: 'monospace', fontSize: 13 }}
        />
        <Space>
          <Button onClick={() => check.mutate(draft)} loading={check.isPending}>
            {t('workflows.check')}
          </Button>
          <Button
            type="primary"
            disabled={!result?.preview}
            loading={publish.isPending}
            onClick={() => publish.mutate(draft)}
          >
            {t('workflows.publish', { version: latest + 1 })}
          </Button>
        </Space>
        {result?.problems && (
          <>
            <Alert
              role="alert"
              type="error"
              showIcon
              message={t('workflows.refused', { count: result.problems.length })}
              description={result.detail}
            />
            {/* The draft with each refused line marked and the API's message right under it. */}
            <div
              data-testid="draft-with-problems"
              tabIndex={0}
              style={{
                fontFamily: 'monospace',
                fontSize: 13,
                maxHeight: 480,
                overflow: 'auto',
                border: '1px solid #d9d9d9',
              }}
            >
              {draft.split('\n').map((text, index) => {
                const line = index + 1;
                if (!problemLines.has(line) && ![...problemLines].some((p) => Math.abs(p - line) <= 2))
                  return null;
                return (
                  <div key={line} style={{ background: problemLines.has(line) ? '#fff1f0' : undefined }}>
                    <span style={{ display: 'inline-block', width: 48, color: '#595959' }}>{line}</span>
                    <span style={{ whiteSpace: 'pre' }}>{text}</span>
                    {result
                      .problems!.filter((problem) => problem.line === line)
                      .map((problem, i) => (
                        <div key={i} style={{ color: '#a8071a', paddingLeft: 48 }}>
                          {t('workflows.problem', { line, path: problem.path, message: problem.message })}
                        </div>
                      ))}
                  </div>
                );
              })}
            </div>
          </>
        )}
        {result?.preview && (
          <>
            <Alert
              role="status"
              type="success"
              showIcon
              message={t('workflows.valid', {
                version: result.preview.version,
                count: result.preview.changes?.length ?? 0,
              })}
            />
            {result.preview.changes && <ChangesTable changes={result.preview.changes} />}
            <DraftWhatIf workflowId={workflowId} draft={result.draft} />
          </>
        )}
      </Space>
    </Card>
  );
}

function VersionDiff({ workflowId, versions }: { workflowId: string; versions: number[] }) {
  const { t } = useTranslation();
  const last = versions[versions.length - 1] ?? 1;
  const [from, setFrom] = useState(Math.max(1, last - 1));
  const [to, setTo] = useState(last);
  useEffect(() => {
    setFrom(Math.max(1, last - 1));
    setTo(last);
  }, [last]);
  const diff = useQuery({
    queryKey: ['workflows', workflowId, 'diff', from, to],
    enabled: versions.length > 1,
    queryFn: () =>
      ok<Answer<'/workflows/{workflowId}/diff'>>(
        api.GET('/workflows/{workflowId}/diff', {
          params: { path: { workflowId }, query: { from, to } as never },
        }),
      ),
  });
  const options = versions.map((version) => ({ value: version, label: `v${version}` }));
  // The diff's two ends are picked alike, each named for screen readers.
  const versionPicker = (label: string, value: number, onChange: (version: number) => void) => (
    <Select aria-label={label} value={value} onChange={onChange} options={options} style={{ width: 100 }} />
  );
  return (
    <Card title={t('workflows.diff')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          {versionPicker(t('workflows.from'), from, setFrom)}
          <span>→</span>
          {versionPicker(t('workflows.to'), to, setTo)}
        </Space>
        {versions.length < 2 ? (
          <Typography.Text>{t('workflows.oneVersion')}</Typography.Text>
        ) : (
          diff.data && <ChangesTable changes={diff.data.changes} />
        )}
      </Space>
    </Card>
  );
}
