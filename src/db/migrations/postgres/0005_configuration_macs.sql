-- A configuration's own MAC address, normalised to 12 lower-case hex digits (as its
-- interfaces' are), so filter[mac_address] and the matcher compare any spelling.
ALTER TABLE configurations ADD COLUMN mac_normalized TEXT;
CREATE INDEX configurations_account_id_mac_normalized_idx ON configurations (account_id, mac_normalized);
