-- Which engine carries a task out: the worker holding its lease, and until when (Unix seconds).
-- A holder renews the lease while it works; another engine takes the task up once it runs out.
ALTER TABLE tasks ADD COLUMN lease_owner TEXT;
ALTER TABLE tasks ADD COLUMN lease_until BIGINT;
CREATE INDEX tasks_by_lease ON tasks (status, lease_until);
