-- The organization the identity provider names for the person (Globus Auth's `organization`
-- claim); it starts the profile's institution.
ALTER TABLE sessions ADD COLUMN organization TEXT;
