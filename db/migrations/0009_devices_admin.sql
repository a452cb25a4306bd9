-- Teams and devices administration (issue 12).

-- When the device's current secret was issued: the admin page shows it beside
-- the last fix, so an administrator can tell a device that was re-keyed but
-- never set up again. Existing devices got theirs when they were created.
ALTER TABLE devices ADD COLUMN IF NOT EXISTS secret_issued_at timestamptz;
UPDATE devices SET secret_issued_at = created_at WHERE secret_issued_at IS NULL;
ALTER TABLE devices ALTER COLUMN secret_issued_at SET DEFAULT now();
ALTER TABLE devices ALTER COLUMN secret_issued_at SET NOT NULL;

-- A device whose secret an administrator issued belongs to a real person's
-- phone. The demo simulator re-keys the devices it drives at every start
-- (only hashes are stored), which would silently lock such a phone out, so it
-- leaves these alone (db/units.ts: getSimTeams). Devices from the demo seed
-- and from `npm run device:issue` stay false, as before.
ALTER TABLE devices ADD COLUMN IF NOT EXISTS admin_managed boolean NOT NULL DEFAULT false;

-- The admin page lists devices by team.
CREATE INDEX IF NOT EXISTS devices_team_id_idx ON devices (team_id);
