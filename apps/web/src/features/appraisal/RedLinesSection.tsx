import { Alert, Badge, Button, Form, Input, Skeleton, Typography } from 'antd';
import { useFeedback } from '../../app/feedback';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { useFormMutation } from '../../app/forms';
import { useSession } from '../../app/session';
import { breachesOf, type BreachStatus, type FiledBreach } from './breaches-of';
import { appraiseeOf, useEvents, useReloadAppraisal, type Appraisal, type WorkflowVersion } from './queries';
import { ListTable } from '../../app/ListTable';
import { FormModal } from '../../app/FormModal';

const BADGES: Record<BreachStatus, 'error' | 'warning' | 'success'> = {
  breached: 'error',
  contested: 'warning',
  upheld: 'error',
  withdrawn: 'success',
};

/**
 * The red lines filed against the appraisee, with what happened and where each stands; the
 * appraisee contests a breach still in force with a reason, which HR then upholds or withdraws.
 */
export function RedLinesSection({
  appraisal,
  workflow,
}: {
  appraisal: Appraisal;
  workflow: WorkflowVersion;
}) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const { session } = useSession();
  const events = useEvents(appraisal.appraisalId);
  const reload = useReloadAppraisal(appraisal.appraisalId);
  const [form] = Form.useForm<{ reason: string }>();
  const [contesting, setContesting] = useState<FiledBreach | null>(null);
  const contest = useFormMutation(form, {
    // No If-Match: the domain refuses a contest of a breach that is no longer in force, and the
    // worker's timers may append to the stream meanwhile without touching the breach.
    mutationFn: ({ breachId, reason }: { breachId: string; reason: string }) =>
      ok(
        api.POST('/appraisals/{appraisalId}/contest-red-line', {
          params: { path: { appraisalId: appraisal.appraisalId } },
          body: { breachId, reason },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('myRedLines.contested'));
      setContesting(null);
      form.resetFields();
      await reload();
    },
  });
  if (events.isLoading) return <Skeleton active />;
  if (events.error)
    return <Alert type="warning" message={t('common.error', { detail: events.error.message })} />;
  const breaches = breachesOf(events.data?.items ?? []);
  const names = Object.fromEntries((workflow.definition.redLines ?? []).map((line) => [line.id, line.name]));
  const appraisee = session?.employeeId != null && session.employeeId === appraiseeOf(appraisal);
  return (
    <>
      <ListTable<FiledBreach>
        label={t('myRedLines.title')}
        rowKey="breachId"
        dataSource={breaches}
        empty={t('myRedLines.none')}
        columns={[
          {
            title: t('myRedLines.redLine'),
            dataIndex: 'redLineId',
            render: (id: string) => names[id] ?? id,
          },
          {
            title: t('myRedLines.what'),
            key: 'what',
            render: (_, breach) => (
              <>
                <div>{breach.description ?? t('myRedLines.withheld')}</div>
                {breach.evidence && (
                  <Typography.Text type="secondary">
                    {t('myRedLines.evidence', { evidence: breach.evidence })}
                  </Typography.Text>
                )}
              </>
            ),
          },
          { title: t('myRedLines.filedAt'), dataIndex: 'filedAt', render: (at: string) => at.slice(0, 10) },
          {
            title: t('myRedLines.status'),
            key: 'status',
            render: (_, breach) => (
              <>
                <Badge status={BADGES[breach.status]} text={t(`redLines.statuses.${breach.status}`)} />
                {breach.contestReason && (
                  <div>{t('myRedLines.contestReason', { reason: breach.contestReason })}</div>
                )}
                {breach.decisionReason && (
                  <div>{t('myRedLines.decisionReason', { reason: breach.decisionReason })}</div>
                )}
              </>
            ),
          },
          {
            title: '',
            key: 'contest',
            render: (_, breach) =>
              appraisee && breach.status === 'breached' ? (
                <Button
                  size="small"
                  aria-label={`${t('myRedLines.contest')}: ${names[breach.redLineId] ?? breach.redLineId}`}
                  onClick={() => setContesting(breach)}
                >
                  {t('myRedLines.contest')}
                </Button>
              ) : null,
          },
        ]}
      />
      <FormModal
        open={contesting !== null}
        title={
          contesting &&
          t('myRedLines.contestTitle', { redLine: names[contesting.redLineId] ?? contesting.redLineId })
        }
        okText={t('myRedLines.contest')}
        cancelText={t('redLines.cancel')}
        busy={contest.isPending}
        onCancel={() => setContesting(null)}
        form={form}
        onFinish={(values) =>
          contesting && contest.mutate({ breachId: contesting.breachId, reason: values.reason })
        }
      >
        <Form.Item
          name="reason"
          label={t('myRedLines.reason')}
          rules={[{ required: true, message: t('myRedLines.reasonRequired') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
    </>
  );
}
