-- Several gateways (gateways in application.properties): a gateway taken out of the configuration keeps its history,
-- marked removed (and since when), and leaves the live views. Set at every start from the configured list.
ALTER TABLE gateways ADD COLUMN removed_at timestamptz;
