-- A guest collection's rules stamp: new (random) with every change to its access rules, in the
-- same transaction, so that a service keeping the rules it read knows from the collection alone
-- whether they still stand (`rule_book`). A collection made again with the same id gets a new
-- one too. Collections from before start with an empty stamp.
ALTER TABLE collections ADD COLUMN rules_stamp TEXT NOT NULL DEFAULT '';
