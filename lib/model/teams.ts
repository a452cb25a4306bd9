// Teams and their devices as the admin page sees them (issue 12), and the
// device doors a phone is set up with.
import type { ForceType } from './domain';

/** How a device is set up to report: Traccar Client / OsmAnd, or OwnTracks in HTTP mode. */
export const DEVICE_PROTOCOLS = ['osmand', 'owntracks'] as const;
export type DeviceProtocol = (typeof DEVICE_PROTOCOLS)[number];

/**
 * The gateway's paths for each protocol (lib/ingest/gateway.ts answers
 * exactly these), so the device card and the server cannot disagree.
 */
export const INGEST_PATHS: Record<DeviceProtocol, string> = {
  osmand: '/ingest/osmand',
  owntracks: '/ingest/owntracks',
};

export interface AdminDevice {
  id: number;
  teamId: number;
  label: string;
  /** What it was set up with; older devices may carry another value. */
  protocol: string;
  createdAt: string;
  /** When its current secret was issued. */
  secretIssuedAt: string;
  disabledAt: string | null;
  /** The newest fix this device sent (its own time), or null. */
  lastFixAt: string | null;
  /** When the server received that fix. */
  lastReceivedAt: string | null;
}

export interface AdminTeam {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  forceType: ForceType;
  size: number;
  villageId: number | null;
  homeGridId: number | null;
  /** The grid cells whose union is the team's assigned area; empty: the whole township. */
  areaGridIds: number[];
  onDuty: boolean;
  devices: AdminDevice[];
}

/** A village or grid cell a team can be given (the team form's choices). */
export interface PlaceOption {
  id: number;
  code: string;
  name: string;
  nameEn: string;
}

/** GET /api/admin/teams. */
export interface AdminTeamsView {
  teams: AdminTeam[];
  villages: PlaceOption[];
  grids: PlaceOption[];
}

/** The answer to adding a device or issuing its secret: the only time the secret is readable. */
export interface IssuedDeviceSecret {
  device: AdminDevice;
  team: { id: number; code: string; name: string; nameEn: string };
  secret: string;
}
