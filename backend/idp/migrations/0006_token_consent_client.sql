-- The client whose consent a token stands on: the client itself, except for dependent tokens,
-- which keep the consent of the token they were exchanged for (a person who allowed an app the
-- portal's scope allowed what that scope depends on, down the chain). NULL: the token's client.
ALTER TABLE tokens ADD COLUMN consent_client TEXT;
