-- Each session's token counts are columns, written with its row (SessionWrites, from the fields the row is read for),
-- and agent_usage sums them: the view read them out of every live session's JSON, and the token sampler
-- (routes/dashboard.yaml) reads it every minute. With 50,000 sessions that was 0.4-0.5 s of a core on the reference
-- machine and 2 s on one half as fast, a burst every minute in every benchmark phase (BENCHMARKS.md, Eighth look).
-- A count is as before: a JSON string or number of 1 to 30 digits, else NULL. The rows stored so far get theirs here.
ALTER TABLE sessions ADD COLUMN input_tokens numeric, ADD COLUMN output_tokens numeric, ADD COLUMN total_tokens numeric;

UPDATE sessions s
SET (input_tokens, output_tokens, total_tokens) = (
    SELECT CASE WHEN r."inputTokens" ~ '^[0-9]{1,30}$' THEN CAST(r."inputTokens" AS numeric) END,
           CASE WHEN r."outputTokens" ~ '^[0-9]{1,30}$' THEN CAST(r."outputTokens" AS numeric) END,
           CASE WHEN r."totalTokens" ~ '^[0-9]{1,30}$' THEN CAST(r."totalTokens" AS numeric) END
    FROM json_to_record(s.data) AS r("inputTokens" text, "outputTokens" text, "totalTokens" text))
WHERE json_typeof(s.data) = 'object';

CREATE OR REPLACE VIEW agent_usage AS
SELECT s.gateway, s.agent_id,
       sum(s.input_tokens)  AS input_tokens,
       sum(s.output_tokens) AS output_tokens,
       sum(s.total_tokens)  AS total_tokens,
       count(*) AS sessions
FROM sessions s
WHERE NOT s.gone AND s.agent_id IS NOT NULL
GROUP BY s.gateway, s.agent_id;
