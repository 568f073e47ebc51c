-- A sign-in attempt is recorded as a failure before its password is checked, under an id of its
-- own, and that record is removed if the password was right.
ALTER TABLE login_failures ADD COLUMN attempt TEXT;
