-- Alerts: an SOS from a device now; stale units, coverage gaps and
-- unacknowledged dispatches later. Open = not yet acknowledged.
CREATE TABLE alerts (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('sos', 'stale', 'outside_area', 'coverage_gap', 'unacknowledged')),
  severity        smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),
  team_id         int REFERENCES teams(id),
  device_id       int REFERENCES devices(id),
  geom            geometry(Point, 4326),
  message         text NOT NULL,
  raised_at       timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz
);
CREATE INDEX alerts_open_idx ON alerts (raised_at DESC) WHERE acknowledged_at IS NULL;
