// Fixes as the ingest writer stores them, for integration tests that write
// positions directly (insertPositions): no map or UI code imported here.
import type { FixRow } from '../../db/positions';
import type { LonLat } from '../../lib/model';

/** A fix as the ingest writer stores it (db/positions.ts insertPositions): a device, an instant (ISO text or epoch ms) and a place; nothing else reported. */
export function fixRow(deviceId: number, at: string | number, [lon, lat]: LonLat): FixRow {
  return {
    deviceId,
    fixTime: typeof at === 'number' ? at : Date.parse(at),
    lon,
    lat,
    speed: null,
    heading: null,
    accuracy: null,
    altitude: null,
    battery: null,
    attributes: null,
  };
}
