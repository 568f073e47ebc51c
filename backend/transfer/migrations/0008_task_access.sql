-- Who submitted a task, as the engine judges the task's access by while it runs: the identities
-- and groups of the submitter's token when it was verified at submission (JSON, `access::Caller`).
-- Tasks from before carry none: their owner's identity alone stands for them.
ALTER TABLE tasks ADD COLUMN submitter TEXT;

-- How many times a task engine took the task up: more than once, it resumes after a stop, and its
-- first item not recorded as done may have been carried out already.
ALTER TABLE tasks ADD COLUMN runs BIGINT NOT NULL DEFAULT 0;

-- A task's files gain a fourth state: `failed`, something the engine did not copy, and why
-- (`failure`): its submitter may no longer read it at the source or write it at the destination
-- (PERMISSION_DENIED), or its name is not one the API can carry (INVALID_NAME). (A CHECK cannot be
-- altered in SQLite: the table is made again, the same on PostgreSQL.)
CREATE TABLE task_files_next (
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    source_path TEXT NOT NULL,
    destination_path TEXT NOT NULL,
    size BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'skipped', 'failed')),
    checksum_algorithm TEXT NOT NULL DEFAULT 'MD5',
    failure TEXT CHECK (failure IN ('PERMISSION_DENIED', 'INVALID_NAME')),
    PRIMARY KEY (task_id, seq)
);
INSERT INTO task_files_next (task_id, seq, source_path, destination_path, size, state, checksum_algorithm)
    SELECT task_id, seq, source_path, destination_path, size, state, checksum_algorithm FROM task_files;
DROP TABLE task_files;
ALTER TABLE task_files_next RENAME TO task_files;
