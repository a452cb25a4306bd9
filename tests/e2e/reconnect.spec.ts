import type {} from '../../lib/hooks/test-hooks';
import { expect, test } from '@playwright/test';
import type { Incident, UnitState } from '../../lib/model';
import { E2E_DEVICE_ID, E2E_TEAM_CODE } from './constants';
import { MapPage } from './map-page';

test.describe('losing the network and getting it back', () => {
  test('shows offline while cut off, then ends with the same state as the server', async ({ page, request, context }) => {
    const map = new MapPage(page);
    await map.open();
    const conn = page.getByTestId('conn-state');
    await expect(conn).toHaveAttribute('data-state', 'live');

    const units = (await (await request.get('/api/units')).json()) as UnitState[];
    const team = units.find((u) => u.code === E2E_TEAM_CODE)!;
    const grids = await map.grids();
    const [lon, lat] = grids.features[50]!.properties.labelPoint;

    await context.setOffline(true);
    await expect(conn).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });

    // While the page is cut off, the world moves on: a fix and a new incident.
    expect((await request.post(`/ingest/osmand?id=${E2E_DEVICE_ID}&lat=${lat}&lon=${lon}&timestamp=${Date.now()}`)).status()).toBe(200);
    const created = (await (
      await request.post('/api/incidents', { data: { category: 'public_order', severity: 2, title: 'e2e 断线期间', position: [lon, lat] } })
    ).json()) as Incident;

    await context.setOffline(false);
    await expect(conn).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
    await expect.poll(async () => (await map.units())[team.teamId]?.position, { timeout: 15_000 }).toEqual([lon, lat]);
    await expect.poll(async () => (await map.incidents()).some((i) => i.id === created.id), { timeout: 15_000 }).toBe(true);

    // The page's units agree with the server's snapshot for every team that has a fix.
    const server = (await (await request.get('/api/units')).json()) as UnitState[];
    const local = await map.units();
    for (const u of server.filter((s) => s.position !== null)) {
      expect(local[u.teamId]?.fixTime, u.code).toBe(u.fixTime);
    }
  });
});
