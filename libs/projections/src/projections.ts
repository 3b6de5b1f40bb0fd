import { auditProjection } from './audit/audit.projection';
import { inboxProjection } from './inbox/inbox.projection';
import type { Projection } from './projection';
import { scoreProjection } from './score/score.projection';

export type { Projection } from './projection';

/** Every projection the worker runs, by consumer name (the names `projections:rebuild` accepts). */
export const PROJECTIONS: readonly Projection[] = [auditProjection, scoreProjection, inboxProjection];

export function projectionNamed(name: string): Projection | undefined {
  return PROJECTIONS.find((projection) => projection.name === name);
}
