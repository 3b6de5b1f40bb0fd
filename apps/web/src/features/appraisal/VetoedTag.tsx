import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** The red mark of a month or an indicator that a veto voids (the score tab and the reviews show it alike). */
export function VetoedTag({ testId }: { testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color="red" data-testid={testId}>
      {t('scores.vetoed')}
    </Tag>
  );
}
