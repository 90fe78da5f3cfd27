-- Session rows (~2.5 KB of JSON each, over PostgreSQL's 2 KB TOAST threshold) and event-log payloads are stored inline
-- and uncompressed: compressing them (pglz) took about 40 % of the database's time to store a sync of 50,000 sessions
-- (2.0 s of 50,000 inserts against 1.2 s without; BENCHMARKS.md), for a table that holds one row per session. Rows up to
-- a page (8 KB) stay in the table; larger ones are still moved to TOAST and compressed. Rows written before keep
-- their form until they are written again.
ALTER TABLE sessions SET (toast_tuple_target = 8160);
ALTER TABLE event_log SET (toast_tuple_target = 8160);
