-- Up Migration

-- The English and Chinese summaries of an audit row follow from its type, stream, revision, role and
-- whether the rating was anonymous: the queries write them out (libs/projections/src/audit/audit.queries.ts)
-- instead of every row storing them: about a third less to build, send and store per event.
ALTER TABLE audit_entries DROP COLUMN summary_en, DROP COLUMN summary_zh;

DROP FUNCTION audit_projection_write(text[], integer[], numeric[], text[], text[], bigint[], text[], text[], text[],
  text[], timestamptz[], text[], text[], text[], text[], text[], text[], text[]);

-- As in 0330, without the summaries.
CREATE FUNCTION audit_projection_write(
  tenants text[], ends integer[], positions numeric[], event_ids text[], stream_ids text[], stream_revisions bigint[],
  types text[], actor_ids text[], actor_roles text[], anonymous_actor_ids text[], recorded_ats timestamptz[],
  correlation_ids text[], causation_ids text[], rule_versions text[], appraisal_ids text[], employee_ids text[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  first integer := 1;
  last_position numeric;
BEGIN
  FOR i IN 1 .. coalesce(array_length(tenants, 1), 0) LOOP
    PERFORM set_config('verity.tenant_id', tenants[i], true);
    -- Planned on each call: a plan cached while the table was empty could scan the tenant's rows.
    EXECUTE 'SELECT max(position) FROM audit_entries' INTO last_position;
    INSERT INTO audit_entries (tenant_id, position, event_id, stream_id, stream_revision, type, actor_id, actor_role,
                               anonymous_actor_id, recorded_at, correlation_id, causation_id, rule_version, appraisal_id,
                               employee_id)
      SELECT tenants[i], r.*
        FROM unnest(positions[first:ends[i]], event_ids[first:ends[i]], stream_ids[first:ends[i]],
                    stream_revisions[first:ends[i]], types[first:ends[i]], actor_ids[first:ends[i]],
                    actor_roles[first:ends[i]], anonymous_actor_ids[first:ends[i]], recorded_ats[first:ends[i]],
                    correlation_ids[first:ends[i]], causation_ids[first:ends[i]], rule_versions[first:ends[i]],
                    appraisal_ids[first:ends[i]], employee_ids[first:ends[i]]) AS r(position)
       WHERE last_position IS NULL OR r.position > last_position;
    first := ends[i] + 1;
  END LOOP;
END
$$;

-- Down Migration
DROP FUNCTION audit_projection_write(text[], integer[], numeric[], text[], text[], bigint[], text[], text[], text[],
  text[], timestamptz[], text[], text[], text[], text[], text[]);
ALTER TABLE audit_entries ADD COLUMN summary_en text, ADD COLUMN summary_zh text;
UPDATE audit_entries SET
  summary_en = type || ' on ' || stream_id || ' #' || stream_revision || ' by '
    || CASE WHEN anonymous_actor_id IS NULL THEN 'a ' ELSE 'an anonymous ' END || actor_role,
  summary_zh = CASE WHEN anonymous_actor_id IS NULL THEN '' ELSE '匿名' END || actor_role || ' 在 ' || stream_id
    || ' 第 ' || stream_revision || ' 条记录了 ' || type;
ALTER TABLE audit_entries ALTER COLUMN summary_en SET NOT NULL, ALTER COLUMN summary_zh SET NOT NULL;
CREATE FUNCTION audit_projection_write(
  tenants text[], ends integer[], positions numeric[], event_ids text[], stream_ids text[], stream_revisions bigint[],
  types text[], actor_ids text[], actor_roles text[], anonymous_actor_ids text[], recorded_ats timestamptz[],
  correlation_ids text[], causation_ids text[], rule_versions text[], appraisal_ids text[], employee_ids text[],
  summaries_en text[], summaries_zh text[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  first integer := 1;
  last_position numeric;
BEGIN
  FOR i IN 1 .. coalesce(array_length(tenants, 1), 0) LOOP
    PERFORM set_config('verity.tenant_id', tenants[i], true);
    EXECUTE 'SELECT max(position) FROM audit_entries' INTO last_position;
    INSERT INTO audit_entries (tenant_id, position, event_id, stream_id, stream_revision, type, actor_id, actor_role,
                               anonymous_actor_id, recorded_at, correlation_id, causation_id, rule_version, appraisal_id,
                               employee_id, summary_en, summary_zh)
      SELECT tenants[i], r.*
        FROM unnest(positions[first:ends[i]], event_ids[first:ends[i]], stream_ids[first:ends[i]],
                    stream_revisions[first:ends[i]], types[first:ends[i]], actor_ids[first:ends[i]],
                    actor_roles[first:ends[i]], anonymous_actor_ids[first:ends[i]], recorded_ats[first:ends[i]],
                    correlation_ids[first:ends[i]], causation_ids[first:ends[i]], rule_versions[first:ends[i]],
                    appraisal_ids[first:ends[i]], employee_ids[first:ends[i]], summaries_en[first:ends[i]],
                    summaries_zh[first:ends[i]]) AS r(position)
       WHERE last_position IS NULL OR r.position > last_position;
    first := ends[i] + 1;
  END LOOP;
END
$$;
