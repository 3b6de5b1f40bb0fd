import { Alert, Badge, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Answer } from '../../api/client';
import { useDialogWrite, useFormMutation } from '../../app/forms';
import { IdLookup, Page, useIdParam } from '../../app/Page';
import { ListTable } from '../../app/ListTable';
import { FormModal } from '../../app/FormModal';
import { WordsField } from '../../app/WordsField';
import { BreachStatusBadge, redLineNamer } from '../appraisal/BreachStatusBadge';

type RedLine = Answer<'/appraisals/{appraisalId}'>['state']['redLines'][string];
/** A row of the appraisal's red lines: the breach's id beside what the state keeps of it. */
type Breach = Pick<RedLine, 'redLineId' | 'status'> & { breachId: string };
type InboxItem = Answer<'/inbox'>['items'][number];
/** Who decides a breach: HR upholds (the effect stays) or withdraws (it stays in the trail, without effect). */
type Decision = 'uphold-red-line' | 'withdraw-red-line';

/** HR's red lines and appeals: file a breach on an appraisal, decide contested ones, resolve open appeals. */
export function RedLinesPage() {
  const { t } = useTranslation();
  const [appraisalId, show] = useIdParam('appraisalId');
  return (
    <Page title={t('redLines.title')}>
      <OpenAppeals />
      <Card title={t('redLines.find')}>
        <IdLookup
          label={t('redLines.appraisalId')}
          action={t('redLines.show')}
          value={appraisalId}
          onShow={show}
        />
      </Card>
      {appraisalId && <AppraisalRedLines key={appraisalId} appraisalId={appraisalId} />}
    </Page>
  );
}

/** The appeals waiting for HR: the open `appeal-resolution` steps of HR's inbox. */
function OpenAppeals() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const appeals = useQuery({
    queryKey: ['inbox', 'appeals'],
    queryFn: async () =>
      (
        await ok<Answer<'/inbox'>>(api.GET('/inbox', { params: { query: { limit: 1000 } as never } }))
      ).items.filter((item) => item.kind === 'appeal-resolution'),
  });
  const resolve = useDialogWrite<
    InboxItem,
    { outcome: 'upheld' | 'rejected'; grade?: string; reason: string }
  >({
    send: (values, { appraisalId }) =>
      ok(
        api.POST('/appraisals/{appraisalId}/resolve-appeal', {
          params: { path: { appraisalId } },
          body: {
            outcome: values.outcome,
            ...(values.outcome === 'upheld' && values.grade ? { grade: values.grade } : {}),
            reason: values.reason,
          } as never,
        }),
      ),
    done: () => t('redLines.appealResolved'),
    onDone: () => {
      void client.invalidateQueries({ queryKey: ['inbox'] });
      void client.invalidateQueries({ queryKey: ['appraisal-red-lines'] });
    },
  });
  const outcome = Form.useWatch('outcome', resolve.form);
  return (
    <Card title={t('redLines.appeals')}>
      {appeals.error && <Alert type="error" showIcon message={appeals.error.message} />}
      <ListTable<InboxItem>
        label={t('redLines.appeals')}
        rowKey="appraisalId"
        loading={appeals.isLoading}
        dataSource={appeals.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        empty={t('redLines.noAppeals')}
        columns={[
          {
            title: t('redLines.employee'),
            key: 'employee',
            render: (_, item) => item.subjectEmployeeId ?? item.orgUnitId,
          },
          { title: t('redLines.appraisal'), dataIndex: 'appraisalId' },
          {
            title: t('redLines.due'),
            key: 'due',
            render: (_, item) =>
              item.dueAt ? (
                <Badge
                  status={item.overdue ? 'error' : 'processing'}
                  text={`${item.dueAt.slice(0, 10)}${item.overdue ? ` · ${t('redLines.overdue')}` : ''}`}
                />
              ) : (
                '—'
              ),
          },
          {
            title: '',
            key: 'resolve',
            render: (_, item) => (
              <Button
                size="small"
                aria-label={`${t('redLines.resolve')}: ${item.subjectEmployeeId ?? item.appraisalId}`}
                onClick={() => resolve.choose(item)}
              >
                {t('redLines.resolve')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal
        {...resolve.modal}
        title={t('redLines.resolveTitle', {
          employee: resolve.chosen?.subjectEmployeeId ?? resolve.chosen?.appraisalId,
        })}
        okText={t('redLines.resolve')}
        cancelText={t('redLines.cancel')}
        initialValues={{ outcome: 'rejected' }}
      >
        <Form.Item name="outcome" label={t('redLines.outcome')}>
          <Select
            aria-label={t('redLines.outcome')}
            options={[
              { value: 'rejected', label: t('redLines.outcomes.rejected') },
              { value: 'upheld', label: t('redLines.outcomes.upheld') },
            ]}
          />
        </Form.Item>
        {outcome === 'upheld' && (
          <Form.Item name="grade" label={t('redLines.newGrade')}>
            <Select
              aria-label={t('redLines.newGrade')}
              allowClear
              options={['A', 'B', 'C', 'D'].map((grade) => ({ value: grade, label: grade }))}
            />
          </Form.Item>
        )}
        <WordsField
          name="reason"
          label={t('redLines.reason')}
          rows={3}
          requiredMessage={t('redLines.reasonRequired')}
        />
      </FormModal>
    </Card>
  );
}

/** One appraisal's red-line breaches: file one (its breachId is shown), uphold or withdraw each. */
function AppraisalRedLines({ appraisalId }: { appraisalId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [fileForm] = Form.useForm<{ redLineId: string; description: string; evidence?: string }>();
  const [filed, setFiled] = useState<string | null>(null);
  const appraisal = useQuery({
    queryKey: ['appraisal-red-lines', appraisalId],
    queryFn: () =>
      ok<Answer<'/appraisals/{appraisalId}'>>(
        api.GET('/appraisals/{appraisalId}', { params: { path: { appraisalId } } }),
      ),
  });
  const state = appraisal.data?.state;
  const catalogue = useQuery({
    queryKey: ['workflows', state?.workflowId, 'versions', state?.workflowVersion],
    enabled: Boolean(state),
    queryFn: () =>
      ok<Answer<'/workflows/{workflowId}/versions/{version}'>>(
        api.GET('/workflows/{workflowId}/versions/{version}', {
          params: { path: { workflowId: state!.workflowId, version: String(state!.workflowVersion) } },
        }),
      ),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['appraisal-red-lines', appraisalId] });
  const file = useFormMutation(fileForm, {
    mutationFn: (body: { redLineId: string; description: string; evidence?: string }) =>
      ok(
        api.POST('/appraisals/{appraisalId}/file-red-line-breach', {
          params: { path: { appraisalId } },
          body,
        }),
      ),
    onSuccess: (answer) => {
      // The API names the breach it created: the id the next command (contest, uphold) needs.
      setFiled(answer.events.find((event) => event.breachId)?.breachId ?? null);
      fileForm.resetFields();
      refresh();
    },
  });
  const decide = useDialogWrite<{ breach: Breach; decision: Decision }, { reason?: string }>({
    send: ({ reason }, { breach, decision }) =>
      ok(
        api.POST(`/appraisals/{appraisalId}/${decision}` as '/appraisals/{appraisalId}/uphold-red-line', {
          params: { path: { appraisalId } },
          body: { breachId: breach.breachId, ...(reason ? { reason } : {}) } as never,
        }),
      ),
    done: ({ decision }) => t(decision === 'uphold-red-line' ? 'redLines.upheld' : 'redLines.withdrawn'),
    onDone: refresh,
  });
  const deciding = decide.chosen;
  if (appraisal.error) return <Alert type="error" showIcon message={appraisal.error.message} />;
  if (!state) return null;
  const nameOf = redLineNamer(catalogue.data?.definition.redLines);
  const breaches: Breach[] = Object.entries(state.redLines).map(([breachId, breach]) => ({
    breachId,
    redLineId: breach.redLineId,
    status: breach.status,
  }));
  const employee = state.subject.kind === 'employee' ? state.subject.employeeId : state.subject.orgUnitId;
  return (
    <Card
      title={t('redLines.appraisalTitle', { employee, appraisalId })}
      extra={
        <Typography.Text>
          {t('redLines.statusLine', { status: state.status, grade: state.result?.grade ?? '—' })}
        </Typography.Text>
      }
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Form
          form={fileForm}
          layout="vertical"
          onFinish={(values) => file.mutate({ ...values, evidence: values.evidence || undefined })}
          style={{ maxWidth: 640 }}
        >
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            {t('redLines.file')}
          </Typography.Title>
          <Form.Item
            name="redLineId"
            label={t('redLines.redLine')}
            rules={[{ required: true, message: t('redLines.required') }]}
          >
            <Select
              aria-label={t('redLines.redLine')}
              options={(catalogue.data?.definition.redLines ?? []).map((line) => ({
                value: line.id,
                label: `${line.name} (${line.id})`,
              }))}
            />
          </Form.Item>
          <WordsField
            name="description"
            label={t('redLines.description')}
            rows={2}
            requiredMessage={t('redLines.required')}
          />
          <Form.Item name="evidence" label={t('redLines.evidence')}>
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={file.isPending}>
            {t('redLines.fileButton')}
          </Button>
        </Form>
        {filed && (
          <Alert
            role="status"
            type="success"
            showIcon
            message={t('redLines.filed', { breachId: filed })}
            description={<span data-testid="filed-breach-id">{filed}</span>}
          />
        )}
        <ListTable<Breach>
          label={t('redLines.breaches')}
          rowKey="breachId"
          dataSource={breaches}
          empty={t('redLines.noBreaches')}
          columns={[
            {
              title: t('redLines.breachId'),
              dataIndex: 'breachId',
              render: (id: string) => <code>{id}</code>,
            },
            {
              title: t('redLines.redLine'),
              dataIndex: 'redLineId',
              render: nameOf,
            },
            {
              title: t('redLines.status'),
              dataIndex: 'status',
              render: (status: Breach['status']) => <BreachStatusBadge status={status} />,
            },
            {
              title: '',
              key: 'decide',
              render: (_, breach) =>
                breach.status === 'breached' || breach.status === 'contested' ? (
                  <Space>
                    <Button
                      size="small"
                      aria-label={`${t('redLines.uphold')}: ${breach.breachId}`}
                      onClick={() => decide.choose({ breach, decision: 'uphold-red-line' })}
                    >
                      {t('redLines.uphold')}
                    </Button>
                    <Button
                      size="small"
                      aria-label={`${t('redLines.withdraw')}: ${breach.breachId}`}
                      onClick={() => decide.choose({ breach, decision: 'withdraw-red-line' })}
                    >
                      {t('redLines.withdraw')}
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Space>
      <FormModal
        {...decide.modal}
        title={
          deciding &&
          t(deciding.decision === 'uphold-red-line' ? 'redLines.upholdTitle' : 'redLines.withdrawTitle', {
            breachId: deciding.breach.breachId,
          })
        }
        okText={
          deciding && t(deciding.decision === 'uphold-red-line' ? 'redLines.uphold' : 'redLines.withdraw')
        }
        cancelText={t('redLines.cancel')}
      >
        <WordsField
          name="reason"
          label={t('redLines.reason')}
          rows={3}
          // A withdrawal needs its reason; upholding a breach may say why.
          requiredMessage={
            deciding?.decision === 'withdraw-red-line' ? t('redLines.reasonRequired') : undefined
          }
        />
      </FormModal>
    </Card>
  );
}
