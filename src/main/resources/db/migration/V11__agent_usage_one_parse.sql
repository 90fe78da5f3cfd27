-- agent_usage reads each live session's three token counts with one parse of its data (json_to_record) instead of one
-- parse per count (->> on the json type parses the whole text each time): with 50,000 sessions of ~2.5 KB the view
-- took 1.8-2.4 s, read every minute by the token sampler (routes/dashboard.yaml), against 0.36-0.51 s now
-- (BENCHMARKS.md, Sixth look). Same columns and values; data that is not a JSON object counts as one without tokens
-- (->> gave NULL for it, and json_to_record refuses it).
CREATE OR REPLACE VIEW agent_usage AS
SELECT s.gateway, s.agent_id,
       sum(CASE WHEN t.input ~ '^[0-9]{1,30}$' THEN CAST(t.input AS numeric) END)   AS input_tokens,
       sum(CASE WHEN t.output ~ '^[0-9]{1,30}$' THEN CAST(t.output AS numeric) END) AS output_tokens,
       sum(CASE WHEN t.total ~ '^[0-9]{1,30}$' THEN CAST(t.total AS numeric) END)   AS total_tokens,
       count(*) AS sessions
FROM sessions s
CROSS JOIN LATERAL (SELECT r."inputTokens" AS input, r."outputTokens" AS output, r."totalTokens" AS total
                    FROM json_to_record(CASE WHEN json_typeof(s.data) = 'object' THEN s.data ELSE CAST('{}' AS json) END)
                         AS r("inputTokens" text, "outputTokens" text, "totalTokens" text)) t
WHERE NOT s.gone AND s.agent_id IS NOT NULL
GROUP BY s.gateway, s.agent_id;
