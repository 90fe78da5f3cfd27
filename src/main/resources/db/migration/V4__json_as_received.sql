-- The gateway's JSON is stored as received (json: checked, kept as text) instead of jsonb. jsonb's binary form of a
-- 2.7 KB session row takes ~6 KB that pglz does not compress, so every session upsert and every sessions.changed in the
-- event log wrote that to TOAST and the WAL; json is stored compressed (~1.6 KB) and writes in a third of the time
-- (BENCHMARKS.md). -> and ->> work on json as on jsonb.
ALTER TABLE sessions ALTER COLUMN data TYPE json;
ALTER TABLE event_log ALTER COLUMN payload TYPE json;
