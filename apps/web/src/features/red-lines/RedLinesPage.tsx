import { Alert, Badge, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useFeedback } from '../../app/feedback';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Answer } from '../../api/client';
import { useFormMutation } from '../../app/forms';
import { IdLookup, Page, useIdParam } from '../../app/Page';
import { ListTable } from '../../app/ListTable';
import { FormModal } from '../../app/FormModal';

type RedLine = Answer<'/appraisals/{appraisalId}'>['state']['redLines'][string];
type BreachStatus = RedLine['status'];
/** A row of the appraisal's red lines: the breach's id beside what the state keeps of it. */
type Breach = Pick<RedLine, 'redLineId' | 'status'> & { breachId: string };
type InboxItem = Answer<'/inbox'>['items'][number];
/** Who decides a breach: HR upholds (the effect stays) or withdraws (it stays in the trail, without effect). */
type Decision = 'uphold-red-line' | 'withdraw-red-line';

const BADGES: Record<BreachStatus, 'error' | 'warning' | 'default' | 'success'> = {
  breached: 'error',
  contested: 'warning',
  upheld: 'error',
  withdrawn: 'success',
};

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
  const { message } = useFeedback();
  const client = useQueryClient();
  const [resolving, setResolving] = useState<InboxItem | null>(null);
  const [form] = Form.useForm<{ outcome: 'upheld' | 'rejected'; grade?: string; reason: string }>();
  const appeals = useQuery({
    queryKey: ['inbox', 'appeals'],
    queryFn: async () =>
      (
        await ok<Answer<'/inbox'>>(api.GET('/inbox', { params: { query: { limit: 1000 } as never } }))
      ).items.filter((item) => item.kind === 'appeal-resolution'),
  });
  const resolve = useFormMutation(form, {
    mutationFn: ({
      appraisalId,
      ...body
    }: {
      appraisalId: string;
      outcome: string;
      grade?: string;
      reason: string;
    }) =>
      ok(
        api.POST('/appraisals/{appraisalId}/resolve-appeal', {
          params: { path: { appraisalId } },
          body: body as never,
        }),
      ),
    onSuccess: () => {
      void message.success(t('redLines.appealResolved'));
      setResolving(null);
      form.resetFields();
      void client.invalidateQueries({ queryKey: ['inbox'] });
      void client.invalidateQueries({ queryKey: ['appraisal-red-lines'] });
    },
  });
  const outcome = Form.useWatch('outcome', form);
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
                onClick={() => setResolving(item)}
              >
                {t('redLines.resolve')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal
        open={resolving !== null}
        title={t('redLines.resolveTitle', {
          employee: resolving?.subjectEmployeeId ?? resolving?.appraisalId,
        })}
        okText={t('redLines.resolve')}
        cancelText={t('redLines.cancel')}
        busy={resolve.isPending}
        onCancel={() => setResolving(null)}
        form={form}
        initialValues={{ outcome: 'rejected' }}
        onFinish={(values) =>
          resolving &&
          resolve.mutate({
            appraisalId: resolving.appraisalId,
            outcome: values.outcome,
            ...(values.outcome === 'upheld' && values.grade ? { grade: values.grade } : {}),
            reason: values.reason,
          })
        }
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
        <Form.Item
          name="reason"
          label={t('redLines.reason')}
          rules={[{ required: true, message: t('redLines.reasonRequired') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

/** One appraisal's red-line breaches: file one (its breachId is shown), uphold or withdraw each. */
function AppraisalRedLines({ appraisalId }: { appraisalId: string }) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const client = useQueryClient();
  const [fileForm] = Form.useForm<{ redLineId: string; description: string; evidence?: string }>();
  const [decideForm] = Form.useForm<{ reason?: string }>();
  const [filed, setFiled] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<{ breach: Breach; decision: Decision } | null>(null);
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
  const decide = useFormMutation(decideForm, {
    mutationFn: ({ breachId, decision, reason }: { breachId: string; decision: Decision; reason?: string }) =>
      ok(
        api.POST(`/appraisals/{appraisalId}/${decision}` as '/appraisals/{appraisalId}/uphold-red-line', {
          params: { path: { appraisalId } },
          body: { breachId, ...(reason ? { reason } : {}) } as never,
        }),
      ),
    onSuccess: (_, { decision }) => {
      void message.success(t(decision === 'uphold-red-line' ? 'redLines.upheld' : 'redLines.withdrawn'));
      setDeciding(null);
      decideForm.resetFields();
      refresh();
    },
  });
  if (appraisal.error) return <Alert type="error" showIcon message={appraisal.error.message} />;
  if (!state) return null;
  const names = Object.fromEntries((catalogue.data?.definition.redLines ?? []).map((l) => [l.id, l.name]));
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
          <Form.Item
            name="description"
            label={t('redLines.description')}
            rules={[{ required: true, message: t('redLines.required') }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
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
              render: (id: string) => names[id] ?? id,
            },
            {
              title: t('redLines.status'),
              dataIndex: 'status',
              render: (status: BreachStatus) => (
                <Badge status={BADGES[status]} text={t(`redLines.statuses.${status}`)} />
              ),
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
                      onClick={() => setDeciding({ breach, decision: 'uphold-red-line' })}
                    >
                      {t('redLines.uphold')}
                    </Button>
                    <Button
                      size="small"
                      aria-label={`${t('redLines.withdraw')}: ${breach.breachId}`}
                      onClick={() => setDeciding({ breach, decision: 'withdraw-red-line' })}
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
        open={deciding !== null}
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
        busy={decide.isPending}
        onCancel={() => setDeciding(null)}
        form={decideForm}
        onFinish={(values) =>
          deciding &&
          decide.mutate({
            breachId: deciding.breach.breachId,
            decision: deciding.decision,
            reason: values.reason,
          })
        }
      >
        <Form.Item
          name="reason"
          label={t('redLines.reason')}
          // A withdrawal needs its reason; upholding a breach may say why.
          rules={[
            { required: deciding?.decision === 'withdraw-red-line', message: t('redLines.reasonRequired') },
          ]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
