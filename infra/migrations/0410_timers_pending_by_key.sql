-- Up Migration

-- The reconciler walks the pending timers in timer-key order, a page at a time; fired and
-- cancelled timers (most rows, over time) stay out of the walk.
CREATE INDEX timers_pending_key ON timers (tenant_id, timer_key) WHERE status = 'pending';

-- Down Migration
DROP INDEX timers_pending_key;
