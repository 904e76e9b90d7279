-- Applied migrations, one row per version (the latest record wins).
SELECT version, argMax(checksum, applied_at) AS checksum
FROM schema_migrations
GROUP BY version
ORDER BY version
