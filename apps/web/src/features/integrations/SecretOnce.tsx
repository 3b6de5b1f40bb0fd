import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** A secret the API shows once: in a dialog the person closes once they have copied it. */
export function SecretOnce({
  title,
  secret,
  onClose,
}: {
  title: string;
  secret: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={secret !== null}
      title={title}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
    >
      <Alert type="warning" showIcon message={t('integrations.secretOnce')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph copyable code data-testid="secret-once">
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}
