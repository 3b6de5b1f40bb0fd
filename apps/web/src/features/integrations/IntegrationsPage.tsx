import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { WebhooksTab } from './WebhooksTab';
import { CatalogueTab } from './CatalogueTab';
import { ApiKeysTab } from './ApiKeysTab';
import { Page } from '../../app/Page';

/** The integrator's and admin's screen: webhooks and their deliveries, the event catalogue, API keys. */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  return (
    <Page title={t('integrations.title')}>
      <Tabs
        items={[
          { key: 'webhooks', label: t('integrations.webhooks.tab'), children: <WebhooksTab /> },
          { key: 'catalogue', label: t('integrations.catalogue.tab'), children: <CatalogueTab /> },
          // API keys are the admin's (the API refuses the integrator): the tab is not offered to others.
          ...(session?.role === 'admin'
            ? [{ key: 'keys', label: t('integrations.apiKeys.tab'), children: <ApiKeysTab /> }]
            : []),
        ]}
      />
    </Page>
  );
}
