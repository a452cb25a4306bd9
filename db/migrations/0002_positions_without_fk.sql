-- positions is the append-only hot table. Its three foreign keys cost about
-- 45% of a 1,000-row batch insert (EXPLAIN ANALYZE on PostgreSQL 15: 9.3 of
-- 21.4 ms spent in the FK triggers). The writer only stores fixes for devices
-- it has resolved and grids it looked up in the same statement, and devices,
-- teams and grids are never deleted while history refers to them, so the
-- checks buy nothing here. unit_state keeps its foreign keys.
ALTER TABLE positions DROP CONSTRAINT IF EXISTS positions_device_id_fkey;
ALTER TABLE positions DROP CONSTRAINT IF EXISTS positions_team_id_fkey;
ALTER TABLE positions DROP CONSTRAINT IF EXISTS positions_grid_id_fkey;
