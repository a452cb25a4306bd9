/** A device the e2e server registers for the first grid worker team, so tests can post fixes. */
export const E2E_DEVICE_ID = 'e2e-device-00000000000000000001';
export const E2E_TEAM_CODE = 'GW-001';
