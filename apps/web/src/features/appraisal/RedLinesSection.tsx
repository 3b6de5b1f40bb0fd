import { Alert, Button, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { useDialogWrite } from '../../app/forms';
import { useSession } from '../../app/session';
import { breachesOf, type FiledBreach } from './breaches-of';
import { BreachStatusBadge, redLineNamer } from './BreachStatusBadge';
import { appraiseeOf, useEvents, useReloadAppraisal, type AppraisalSectionProps } from './queries';
import { ListTable } from '../../app/ListTable';
import { FormModal } from '../../app/FormModal';
import { WordsField } from '../../app/WordsField';

/**
 * The red lines filed against the appraisee, with what happened and where each stands; the
 * appraisee contests a breach still in force with a reason, which HR then upholds or withdraws.
 */
export function RedLinesSection({ appraisal, workflow }: AppraisalSectionProps) {
  const { t } = useTranslation();
  const { session } = useSession();
  const events = useEvents(appraisal.appraisalId);
  const reload = useReloadAppraisal(appraisal.appraisalId);
  const contest = useDialogWrite<FiledBreach, { reason: string }>({
    // No If-Match: the domain refuses a contest of a breach that is no longer in force, and the
    // worker's timers may append to the stream meanwhile without touching the breach.
    send: ({ reason }, { breachId }) =>
      ok(
        api.POST('/appraisals/{appraisalId}/contest-red-line', {
          params: { path: { appraisalId: appraisal.appraisalId } },
          body: { breachId, reason },
        }),
      ),
    done: () => t('myRedLines.contested'),
    onDone: reload,
  });
  if (events.isLoading) return <Skeleton active />;
  if (events.error)
    return <Alert type="warning" message={t('common.error', { detail: events.error.message })} />;
  const breaches = breachesOf(events.data?.items ?? []);
  const nameOf = redLineNamer(workflow.definition.redLines);
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
            render: nameOf,
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
                <BreachStatusBadge status={breach.status} />
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
                  aria-label={`${t('myRedLines.contest')}: ${nameOf(breach.redLineId)}`}
                  onClick={() => contest.choose(breach)}
                >
                  {t('myRedLines.contest')}
                </Button>
              ) : null,
          },
        ]}
      />
      <FormModal
        {...contest.modal}
        title={contest.chosen && t('myRedLines.contestTitle', { redLine: nameOf(contest.chosen.redLineId) })}
        okText={t('myRedLines.contest')}
        cancelText={t('redLines.cancel')}
      >
        <WordsField
          name="reason"
          label={t('myRedLines.reason')}
          rows={3}
          requiredMessage={t('myRedLines.reasonRequired')}
        />
      </FormModal>
    </>
  );
}
