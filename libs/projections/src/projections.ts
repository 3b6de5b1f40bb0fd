import type { PoolClient } from 'pg';
import type { ConsumerHandler } from '@verity/event-store';
import { auditProjection } from './audit/audit.projection';
import { inboxProjection } from './inbox/inbox.projection';
import { scoreProjection } from './score/score.projection';

/** A read-model projection: a consumer handler that can also empty its tables for a rebuild. */
export type Projection = ConsumerHandler & { reset(tx: PoolClient): Promise<void> };

/** Every projection the worker runs, by consumer name (the names `projections:rebuild` accepts). */
export const PROJECTIONS: readonly Projection[] = [auditProjection, scoreProjection, inboxProjection];

export function projectionNamed(name: string): Projection | undefined {
  return PROJECTIONS.find((projection) => projection.name === name);
}
