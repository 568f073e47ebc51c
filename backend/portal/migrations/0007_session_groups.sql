-- The groups the researcher belonged to at sign-in (group ids, space-separated), read from the
-- Groups API: which group-restricted datasets they see.
ALTER TABLE sessions ADD COLUMN group_ids TEXT NOT NULL DEFAULT '';
