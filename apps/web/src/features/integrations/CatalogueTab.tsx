import { Card, Collapse, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { placeholderLabelled } from '../../app/placeholder-labelled';
import { useCatalogue, type CatalogueEntry } from './queries';

export function CatalogueTab() {
  const { t } = useTranslation();
  const catalogue = useCatalogue();
  const [filter, setFilter] = useState('');
  const items = (catalogue.data?.items ?? []).filter((entry) =>
    entry.type.toLowerCase().includes(filter.toLowerCase()),
  );
  return (
    <Card title={t('integrations.catalogue.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.Search
          {...placeholderLabelled(t('integrations.catalogue.filter'), filter, setFilter)}
          style={{ maxWidth: 360 }}
        />
        <Collapse
          items={items.map((entry: CatalogueEntry) => ({
            key: `${entry.type}.v${entry.version}`,
            label: (
              <Space>
                <Typography.Text strong>{entry.type}</Typography.Text>
                <Tag>v{entry.version}</Tag>
                {!entry.current && <Tag>{t('integrations.catalogue.older')}</Tag>}
                <Typography.Text type="secondary">{entry.cloudEventType}</Typography.Text>
              </Space>
            ),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Text strong>{t('integrations.catalogue.schema')}</Typography.Text>
                <pre
                  tabIndex={0}
                  style={{ maxHeight: 320, overflow: 'auto', background: '#f5f5f5', padding: 8 }}
                >
                  {JSON.stringify(entry.schema, null, 2)}
                </pre>
                <Typography.Text strong>{t('integrations.catalogue.sample')}</Typography.Text>
                <pre
                  tabIndex={0}
                  style={{ maxHeight: 240, overflow: 'auto', background: '#f5f5f5', padding: 8 }}
                >
                  {JSON.stringify(sampleEnvelope(entry), null, 2)}
                </pre>
              </Space>
            ),
          }))}
        />
      </Space>
    </Card>
  );
}

/** A CloudEvent as deliveries carry it, its data built from the schema's own shape. */
function sampleEnvelope(entry: CatalogueEntry) {
  return {
    specversion: '1.0',
    id: '0190c0de-0000-7000-8000-000000000000',
    source: 'verity/tenants/demo',
    type: entry.cloudEventType,
    subject: `${entry.aggregate ?? 'stream'}/…`,
    time: '2026-07-01T08:00:00.000Z',
    datacontenttype: 'application/json',
    data: sampleOf(entry.schema, 0),
  };
}

function sampleOf(schema: unknown, depth: number): unknown {
  if (!schema || typeof schema !== 'object' || depth > 6) return null;
  const s = schema as {
    type?: string | string[];
    properties?: Record<string, unknown>;
    items?: unknown;
    enum?: unknown[];
    const?: unknown;
    anyOf?: unknown[];
    oneOf?: unknown[];
    format?: string;
  };
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const union = s.anyOf ?? s.oneOf;
  if (union?.length) return sampleOf(union[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((candidate) => candidate !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([name, value]) => [name, sampleOf(value, depth + 1)]),
      );
    case 'array':
      return s.items ? [sampleOf(s.items, depth + 1)] : [];
    case 'string':
      return s.format === 'date-time' ? '2026-07-01T08:00:00.000Z' : s.format === 'date' ? '2026-07-01' : '…';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}
