-- A transfer task's files, found when its items are expanded (once), each pending until it is
-- copied (done) or found already there (skipped); a restarted service copies the pending ones.
CREATE TABLE task_files (
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    source_path TEXT NOT NULL,
    destination_path TEXT NOT NULL,
    size BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'skipped')),
    PRIMARY KEY (task_id, seq)
);

ALTER TABLE tasks ADD COLUMN expanded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN directories BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN bytes_transferred BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN bytes_checksummed BIGINT NOT NULL DEFAULT 0;
