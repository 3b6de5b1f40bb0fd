-- Up Migration

-- A notification now also tells of a task landing on someone when its step opens (template
-- `task-assigned`, docs/adr/0119-every-task-told-and-due-by-its-sla.md): such a row comes from no
-- timer, so it has no timer key.
ALTER TABLE notifications ALTER COLUMN timer_key DROP NOT NULL;

-- Down Migration
DELETE FROM notifications WHERE timer_key IS NULL;
ALTER TABLE notifications ALTER COLUMN timer_key SET NOT NULL;
