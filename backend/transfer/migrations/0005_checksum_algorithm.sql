-- The checksum each file of a transfer is verified with (`MD5`, Globus's default, or `SHA256`),
-- as its item asked.
ALTER TABLE task_files ADD COLUMN checksum_algorithm TEXT NOT NULL DEFAULT 'MD5';
