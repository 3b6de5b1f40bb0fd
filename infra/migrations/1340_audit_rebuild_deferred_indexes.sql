-- Up Migration

-- A rebuild of the audit read model (docs/adr/0137) loads every event into an emptied table. Kept up
-- row by row, its four secondary indexes were most of the load's cost (206,807 rows by INSERT … SELECT
-- under load: 7.1 s with them, 1.7 s with the primary key alone and 2.7 s to build the four afterwards).
-- So a rebuild drops them after its TRUNCATE and builds them once the runner has caught up. The
-- primary key stays: it is what makes a redelivered batch a no-op (0332).
--
-- The runtime role owns no table (docs/adr/0080) and may neither drop nor create an index: these
-- run as the owner. They are the one place the secondary indexes are defined from now on: a
-- migration that changes one changes `audit_entries_restore_indexes` too.

CREATE FUNCTION audit_entries_defer_indexes() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- Only a table just emptied (TRUNCATE gives it a new, empty file): on a filled one the indexes are
  -- what its readers need. Its size, not a query: row-level security would hide every row from one.
  IF pg_relation_size('audit_entries') > 0 THEN
    RETURN;
  END IF;
  DROP INDEX IF EXISTS audit_entries_appraisal;
  DROP INDEX IF EXISTS audit_entries_employee;
  DROP INDEX IF EXISTS audit_entries_actor;
  DROP INDEX IF EXISTS audit_entries_type_time;
END
$$;

-- Idempotent: when the indexes are there it only looks them up in the catalogue (CREATE INDEX IF NOT
-- EXISTS would lock the table against writes first).
CREATE FUNCTION audit_entries_restore_indexes() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF to_regclass('audit_entries_appraisal') IS NULL THEN
    CREATE INDEX audit_entries_appraisal ON audit_entries (tenant_id, appraisal_id, position);
  END IF;
  IF to_regclass('audit_entries_employee') IS NULL THEN
    CREATE INDEX audit_entries_employee ON audit_entries (tenant_id, employee_id, position)
      WHERE employee_id IS NOT NULL;
  END IF;
  IF to_regclass('audit_entries_actor') IS NULL THEN
    CREATE INDEX audit_entries_actor ON audit_entries (tenant_id, actor_id, position);
  END IF;
  IF to_regclass('audit_entries_type_time') IS NULL THEN
    CREATE INDEX audit_entries_type_time ON audit_entries (tenant_id, type, recorded_at);
  END IF;
END
$$;

REVOKE ALL ON FUNCTION audit_entries_defer_indexes() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_entries_restore_indexes() FROM PUBLIC;

-- Down Migration
SELECT audit_entries_restore_indexes();
DROP FUNCTION audit_entries_restore_indexes;
DROP FUNCTION audit_entries_defer_indexes;
