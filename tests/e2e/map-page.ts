import type {} from '../../lib/hooks/test-hooks';
import { expect, type Page } from '@playwright/test';
import type { GridCollection, IncidentView, UnitState } from '../../lib/model';

type LonLat = [number, number];

/** Page object for the live map: locators by data-testid and the state the page exposes. */
export class MapPage {
  /** Console messages about Content-Security-Policy violations (there must be none). */
  readonly cspViolations: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) this.cspViolations.push(m.text());
    });
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await this.page.waitForFunction(() => window.__gridsight?.ready === true, null, { timeout: 60_000 });
  }

  toggle(layer: 'grids' | 'key-locations' | 'units' | 'incidents' | 'heatmap') {
    return this.page.getByTestId(`layer-toggle-${layer}`);
  }

  async showOnly(...layers: ('grids' | 'key-locations' | 'units' | 'incidents' | 'heatmap')[]): Promise<void> {
    for (const l of ['grids', 'key-locations', 'units', 'incidents', 'heatmap'] as const) {
      await this.toggle(l).setChecked(layers.includes(l));
    }
  }

  units(): Promise<Record<number, UnitState>> {
    return this.page.evaluate(() => window.__gridsight!.units());
  }

  incidents(): Promise<IncidentView[]> {
    return this.page.evaluate(() => window.__gridsight!.incidents());
  }

  heatmap(): Promise<{ window: string; count: number; drawnPoints: number }> {
    return this.page.evaluate(() => window.__gridsight!.heatmap());
  }

  /** What deck.gl has drawn at a geographic point. */
  async pickAt(lonLat: LonLat): Promise<{ layerId: string; object: unknown } | null> {
    return this.page.evaluate((p) => {
      const gs = window.__gridsight!;
      const [x, y] = gs.project(p);
      return gs.pick(x, y);
    }, lonLat);
  }

  async grids(): Promise<GridCollection> {
    const res = await this.page.request.get('/api/grids');
    expect(res.status()).toBe(200);
    return (await res.json()) as GridCollection;
  }
}
