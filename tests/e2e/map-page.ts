import type {} from '../../lib/hooks/test-hooks';
import { expect, type Locator, type Page } from '@playwright/test';
import type { GridCollection, IncidentCategory, IncidentOutcome, IncidentView, Severity, UnitState } from '../../lib/model';

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

  /** What deck.gl picks at a place: the topmost object, or only among `layerIds` when given. */
  async pickAt(lonLat: LonLat, layerIds?: readonly string[]): Promise<{ layerId: string; object: unknown } | null> {
    return this.page.evaluate(
      ({ p, ids }) => {
        const gs = window.__gridsight!;
        const [x, y] = gs.project(p);
        return gs.pick(x, y, ids);
      },
      { p: lonLat, ids: layerIds },
    );
  }

  async grids(): Promise<GridCollection> {
    const res = await this.page.request.get('/api/grids');
    expect(res.status()).toBe(200);
    return (await res.json()) as GridCollection;
  }

  // ---------- the dispatch loop ----------

  /** Clicks the map at a geographic point (what a desk does in pick mode). */
  async clickMapAt(lonLat: LonLat): Promise<void> {
    const [x, y] = await this.page.evaluate((p) => window.__gridsight!.project(p), lonLat);
    const box = await this.page.getByTestId('map').boundingBox();
    if (!box) throw new Error('clickMapAt: the map is not on screen');
    await this.page.mouse.click(box.x + x, box.y + y);
  }

  /**
   * Moves the camera (as a person zooming in on a place would) and waits until
   * the map has drawn there, so a click lands where projected.
   */
  async centerOn(lonLat: LonLat, zoom: number): Promise<void> {
    await this.page.evaluate(
      ({ center, zoom: z }) =>
        new Promise<void>((resolve) => {
          const map = window.__gridsight!.map;
          if (!map) throw new Error('centerOn: the map is not created yet');
          // 'idle' follows the redraw the jump causes; the timer covers a map that was already idle and stays so.
          const timer = setTimeout(resolve, 5_000);
          map.once('idle', () => {
            clearTimeout(timer);
            resolve();
          });
          map.jumpTo({ center, zoom: z });
        }),
      { center: lonLat, zoom },
    );
  }

  /** The header's open-incident count, as a number (null while it shows the placeholder). */
  async openIncidentCount(): Promise<number | null> {
    const text = (await this.page.getByTestId('open-incident-count').innerText()).replace(/[^\d]/g, '');
    return text === '' ? null : Number(text);
  }

  /** Starts a report with the keyboard shortcut (or the button), and waits for pick mode. */
  async startReport(how: 'key' | 'button' = 'key'): Promise<void> {
    if (how === 'key') {
      // The shortcut is ignored while a field has focus: take it out of any first.
      await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await this.page.keyboard.press('n');
    } else {
      await this.page.getByTestId('report-incident').click();
    }
    await expect(this.page.getByTestId('pick-banner')).toBeVisible();
  }

  /** Fills the report form (only the fields given) and submits it with Enter; resolves when the drawer opens on the new incident. */
  async submitIncident(fields: {
    category?: IncidentCategory;
    severity?: Severity;
    title?: string;
    description?: string;
    contact?: string;
  }): Promise<number> {
    const form = this.page.getByTestId('incident-form');
    await expect(form).toBeVisible();
    if (fields.category) await form.getByTestId('incident-form-category').selectOption(fields.category);
    if (fields.severity) await form.getByTestId(`incident-form-severity-${fields.severity}`).click();
    if (fields.description !== undefined) await form.getByTestId('incident-form-description').fill(fields.description);
    if (fields.contact !== undefined) await form.getByTestId('incident-form-contact').fill(fields.contact);
    const title = form.getByTestId('incident-form-title');
    if (fields.title !== undefined) await title.fill(fields.title);
    await title.press('Enter');
    const drawer = this.drawer();
    await expect(drawer).toBeVisible();
    return Number(await drawer.getAttribute('data-incident-id'));
  }

  drawer(): Locator {
    return this.page.getByTestId('incident-drawer');
  }

  /** The drawer's status badge; its data-status is the status code. */
  drawerStatus(): Locator {
    return this.drawer().getByTestId('incident-drawer-status');
  }

  recommendationRows(): Locator {
    return this.drawer().getByTestId('recommendation-row');
  }

  recommendationRow(teamId: number): Locator {
    return this.drawer().locator(`[data-testid="recommendation-row"][data-team-id="${teamId}"]`);
  }

  async dispatch(teamId: number): Promise<void> {
    await this.recommendationRow(teamId).getByTestId('dispatch-button').click();
  }

  /** The drawer's row for a team committed to the incident. */
  assignmentRow(teamId: number): Locator {
    return this.drawer().locator(`[data-testid="assignment-row"][data-team-id="${teamId}"]`);
  }

  /** Records a team's acknowledgement on its behalf (it answered by radio). */
  async acknowledge(teamId: number): Promise<void> {
    await this.assignmentRow(teamId).getByTestId('assignment-ack').click();
  }

  timelineEntries(): Locator {
    return this.drawer().getByTestId('timeline-entry');
  }

  /** Resolves the open incident in the drawer with an outcome (and a note, needed for `other`). */
  async resolve(outcome: IncidentOutcome, note?: string): Promise<void> {
    await this.drawer().getByTestId('incident-set-status-resolved').click();
    await this.drawer().getByTestId('outcome-select').selectOption(outcome);
    if (note !== undefined) await this.drawer().getByTestId('outcome-note').fill(note);
    await this.drawer().getByTestId('resolve-submit').click();
  }

  async openSideTab(tab: 'map' | 'incidents' | 'alerts'): Promise<void> {
    await this.page.getByTestId(`side-tab-${tab}`).click();
  }

  alertRow(alertId: number): Locator {
    return this.page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`);
  }

  async setGridShading(shading: 'load' | 'coverage'): Promise<void> {
    await this.openSideTab('map');
    await this.page.getByTestId(`grid-shading-${shading}`).click();
    await expect(this.page.getByTestId(`grid-shading-${shading}`)).toHaveAttribute('aria-pressed', 'true');
  }
}
