-- A device's secret (the long identifier GridSight issues, which Traccar
-- Client sends as its "device identifier") is stored only as a SHA-256 hash,
-- like a password: a leaked database or backup places no position on the map.
-- SHA-256 rather than a slow hash: secrets are 128-bit random, so brute force
-- is hopeless anyway, and ingest looks one up per unseen device.
ALTER TABLE devices ADD COLUMN secret_hash text;
UPDATE devices SET secret_hash = encode(sha256(convert_to(identifier, 'UTF8')), 'hex');
ALTER TABLE devices ALTER COLUMN secret_hash SET NOT NULL;
ALTER TABLE devices ADD CONSTRAINT devices_secret_hash_key UNIQUE (secret_hash);
ALTER TABLE devices ADD CONSTRAINT devices_secret_hash_hex CHECK (secret_hash ~ '^[0-9a-f]{64}$');
ALTER TABLE devices DROP COLUMN identifier;
ALTER TABLE devices DROP COLUMN token_hash;
