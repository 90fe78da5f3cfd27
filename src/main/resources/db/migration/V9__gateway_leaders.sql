-- Several instances on this database (cluster.service, README "Running several instances"): the instance that leads
-- each gateway (holds its connection), where the others reach its API (commands they forward, the connection's status)
-- and since when. Written by the leader when it takes the gateway, deleted when it lets it go; a leader that died
-- leaves its row until the next one takes over.
CREATE TABLE gateway_leaders (
    gateway     text        PRIMARY KEY,
    instance_id text        NOT NULL,
    url         text        NOT NULL,
    since       timestamptz NOT NULL DEFAULT now()
);
