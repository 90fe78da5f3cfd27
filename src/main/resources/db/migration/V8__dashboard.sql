-- The dashboard (routes/dashboard.yaml, routes/api-dashboard.yaml).
-- Tokens per agent over time: every dashboard.usage.sample-interval, each agent whose live sessions' token counts
-- (summed) changed since its last sample gets a row; kept for dashboard.usage.retention.
CREATE TABLE usage_samples (
    gateway        text        NOT NULL,
    agent_id       text        NOT NULL,
    sampled_at     timestamptz NOT NULL,
    input_tokens   numeric,
    output_tokens  numeric,
    total_tokens   numeric,
    PRIMARY KEY (gateway, agent_id, sampled_at)
);
-- a window of every agent of a gateway (the chart), and the retention's delete
CREATE INDEX usage_samples_by_time ON usage_samples (gateway, sampled_at);
-- one agent's runs in a window (the runs timeline), its last failed run (needs attention)
CREATE INDEX chat_runs_by_agent ON chat_runs (gateway, agent_id, started_at);
-- Each agent's tokens now: the sums of its live sessions' counts as the gateway sends them (a count that is not a whole
-- number is left out). GET /api/dashboard/usage reads it for some gateways (the condition goes below the grouping,
-- onto sessions_by_agent), the sampler for all.
CREATE VIEW agent_usage AS
SELECT s.gateway, s.agent_id,
       sum(CASE WHEN t.input ~ '^[0-9]{1,30}$' THEN CAST(t.input AS numeric) END)   AS input_tokens,
       sum(CASE WHEN t.output ~ '^[0-9]{1,30}$' THEN CAST(t.output AS numeric) END) AS output_tokens,
       sum(CASE WHEN t.total ~ '^[0-9]{1,30}$' THEN CAST(t.total AS numeric) END)   AS total_tokens,
       count(*) AS sessions
FROM sessions s
CROSS JOIN LATERAL (SELECT s.data ->> 'inputTokens' AS input, s.data ->> 'outputTokens' AS output,
                           s.data ->> 'totalTokens' AS total) t
WHERE NOT s.gone AND s.agent_id IS NOT NULL
GROUP BY s.gateway, s.agent_id;
