-- A sign-in belongs to the browser that started it: the digest of its sign-in cookie's value
-- (against login CSRF). Sign-ins under way when this runs cannot be bound, so they end.
DELETE FROM login_requests;
ALTER TABLE login_requests ADD COLUMN browser_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX login_requests_by_browser ON login_requests (browser_hash);
