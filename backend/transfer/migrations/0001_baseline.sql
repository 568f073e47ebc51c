-- The transfer service's schema starts here; its tables arrive in later migrations.
SELECT 1;
