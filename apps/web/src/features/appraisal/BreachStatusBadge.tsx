import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BreachStatus } from './breaches-of';

const BADGES: Record<BreachStatus, 'error' | 'warning' | 'success'> = {
  breached: 'error',
  contested: 'warning',
  upheld: 'error',
  withdrawn: 'success',
};

/** Where a red-line breach stands, in the administration catalogue's words (HR and the appraisee see the same). */
export function BreachStatusBadge({ status }: { status: BreachStatus }) {
  const { t } = useTranslation();
  return <Badge status={BADGES[status]} text={t(`redLines.statuses.${status}`)} />;
}

/** A red line of the workflow by its name; by its id where the definition does not name it. */
export function redLineNamer(redLines: readonly { id: string; name: string }[] = []): (id: string) => string {
  const names = new Map(redLines.map((line) => [line.id, line.name]));
  return (id) => names.get(id) ?? id;
}
