-- Control Center's device identity (one Ed25519 key pair for every instance on this database, so a gateway approves
-- it once) and the device tokens gateways issued to it. Both are secrets: never logged, shown or returned.

CREATE TABLE device_identity (
    id          smallint    PRIMARY KEY CHECK (id = 1),  -- one row
    device_id   text        NOT NULL,                    -- lowercase hex SHA-256 of the raw public key
    public_key  bytea       NOT NULL,                    -- raw 32 bytes
    private_key bytea       NOT NULL,                    -- PKCS#8 DER (SECRET)
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE device_tokens (
    gateway     text        NOT NULL,
    device_id   text        NOT NULL,                    -- the identity it was issued to (an operator-supplied key has its own)
    role        text        NOT NULL DEFAULT 'operator',
    token       text        NOT NULL,                    -- hello-ok.auth.deviceToken (SECRET)
    scopes      text[]      NOT NULL,                    -- the scopes it was issued with
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gateway, device_id, role)
);
