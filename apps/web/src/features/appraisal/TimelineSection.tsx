import { Alert, Skeleton, Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import { useHistory } from './queries';

/** Who did what, when: the appraisal's history, oldest first. */
export function TimelineSection({ appraisalId }: { appraisalId: string }) {
  const { t } = useTranslation();
  const history = useHistory(appraisalId);
  if (history.isLoading) return <Skeleton active />;
  if (history.error)
    return <Alert type="warning" message={t('common.error', { detail: history.error.message })} />;
  const items = history.data?.items ?? [];
  if (items.length === 0) return <Alert type="info" message={t('timeline.empty')} />;
  return (
    <Timeline
      items={items.map((item) => ({
        key: item.revision,
        children: `${new Date(item.recordedAt).toLocaleString()} · ${item.type} · ${t('timeline.who', {
          role: t(`roles.${item.actor.role}`, item.actor.role),
          actor: item.actor.id,
        })}`,
      }))}
    />
  );
}
