-- Bytes of the files a running task is still copying, written every second so that progress
-- moves during a large file; zero once the task has ended.
ALTER TABLE tasks ADD COLUMN bytes_in_flight BIGINT NOT NULL DEFAULT 0;
