-- When a task must be done by (Unix seconds): past it, the engine stops the task, which fails
-- with EXPIRED. Absent: no deadline.
ALTER TABLE tasks ADD COLUMN deadline BIGINT;
