-- GET /api/gateways shows when each gateway's newest event arrived: the first entry of this index for the gateway (by
-- received_at, then id), not a scan of the log, also for a gateway that has been quiet for days while others filled it.
-- id is a key column so that the query's order (received_at DESC, id DESC) is this index's alone: ordered by
-- received_at only, the planner may prefer event_log_by_time filtered by gateway, which reads the whole log back to a
-- quiet gateway's last row.
CREATE INDEX event_log_by_gateway ON event_log (gateway, received_at, id);
