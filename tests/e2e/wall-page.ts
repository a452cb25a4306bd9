import type {} from '../../lib/hooks/test-hooks';
import { expect, type Locator, type Page } from '@playwright/test';

/** The KPI tiles the wall promises (data-testid `wall-kpi-<name>`, the raw number in data-value). */
export const WALL_TILES = [
  'teams-on-duty',
  'teams-available',
  'teams-busy',
  'open-sev-1',
  'open-sev-2',
  'open-sev-3',
  'open-sev-4',
  'incidents-today',
  'weekday-average',
  'median-response',
  'open-alerts',
] as const;
export type WallTile = (typeof WALL_TILES)[number];

/** What a tile shows: its number, null when it shows none (an empty data-value). */
export type WallTiles = Record<WallTile, number | null>;

/** How the map looks in a screenshot: distinct colours (4 bits a channel) and the share of the commonest one. */
export interface MapPixels {
  colours: number;
  dominantShare: number;
}

/** Page object for the wall display (/wall): locators by data-testid and what the page exposes. */
/** One move of the wall map's camera (WallPage.recordCameraMoves). */
export interface CameraMove {
  /** `move` events it drew: one for a cut, one per frame for an eased flight. */
  moves: number;
  /** The opacity the map's container was animating from when it stopped; null when nothing animated it. */
  fadeFrom: number | null;
  /**
   * Whether deck.gl was handed a view inside MapLibre's frame that drew the move (its first `render`
   * after it), and whether deck.gl's view is the map's one task after that frame: null until that frame
   * came. The wall's deck.gl follows the camera in a task of its own right after MapLibre's frame
   * (deferViewUpdates): false, then true. The desk's overlay moves deck.gl inside the frame: true.
   */
  deckInFrame: boolean | null;
  deckAfter: boolean | null;
}

export class WallPage {
  /** The page's map messages, warnings and errors, newest last (attached to a failed test's report). */
  readonly log: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning' || m.text().includes('[map]')) this.log.push(`${new Date().toISOString()} ${m.type()} ${m.text()}`);
    });
    page.on('pageerror', (e) => this.log.push(`${new Date().toISOString()} pageerror ${e.message}`));
  }

  root(): Locator {
    return this.page.getByTestId('wall');
  }

  map(): Locator {
    return this.page.getByTestId('map');
  }

  view(): Locator {
    return this.page.getByTestId('wall-view');
  }

  clock(): Locator {
    return this.page.getByTestId('wall-clock');
  }

  connBanner(): Locator {
    return this.page.getByTestId('wall-conn-banner');
  }

  /** The interrupt banner for one incident or SOS alert. */
  banner(kind: 'incident' | 'sos', id: number): Locator {
    return this.page.locator(`[data-testid="wall-banner"][data-kind="${kind}"][data-id="${id}"]`);
  }

  /** Signs in through the login form as a wall display would (the ?wall=1 link, its long-lived session ticked). */
  async signIn(account: { username: string; password: string }): Promise<void> {
    await this.page.goto('/login?wall=1');
    // Hydrated: the form's effect fills in the demo wall account and ticks the wall box.
    await expect(this.page.getByTestId('login-wall')).toBeChecked();
    await this.page.getByTestId('login-username').fill(account.username);
    await this.page.getByTestId('login-password').fill(account.password);
    await this.page.getByTestId('login-submit').click();
  }

  /** Waits until the wall says map and KPIs are drawn and the map's hooks say deck has drawn with data. */
  async waitReady(timeout = 60_000): Promise<void> {
    await expect(this.root()).toHaveAttribute('data-ready', 'true', { timeout });
    await this.page.waitForFunction(() => window.__gridsight?.ready === true, null, { timeout });
  }

  /** Every tile's number, read in one go (a tile missing from the page reads as undefined and fails an equality). */
  async tiles(): Promise<WallTiles> {
    const raw = await this.page.evaluate(
      (names) => Object.fromEntries(names.map((n) => [n, document.querySelector(`[data-testid="wall-kpi-${n}"]`)?.getAttribute('data-value')])),
      [...WALL_TILES],
    );
    return Object.fromEntries(
      WALL_TILES.map((n) => [n, raw[n] === undefined || raw[n] === null ? undefined : raw[n] === '' ? null : Number(raw[n])]),
    ) as WallTiles;
  }

  async rotation(): Promise<{ view: string | null; rotation: number; paused: boolean }> {
    const v = this.view();
    return {
      view: await v.getAttribute('data-view'),
      rotation: Number(await v.getAttribute('data-rotation')),
      paused: (await v.getAttribute('data-paused')) === 'true',
    };
  }

  /**
   * From now on, notes each move of the map's camera: how many `move` events
   * it drew (an eased move draws one per frame, a cut one in all), and the
   * opacity the map's container was animating from when it stopped (the
   * wall's fade-in after a cut), or null when nothing animated it.
   */
  async recordCameraMoves(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __cameraMoves?: CameraMove[] };
      const map = window.__gridsight?.map;
      if (!map) throw new Error('no map to watch');
      const container = document.querySelector<HTMLElement>('[data-testid="map"]')!;
      w.__cameraMoves = [];
      let moves = 0;
      // deck.gl's view (MapboxOverlay keeps its Deck in a field of its own) against the map's camera.
      type DeckView = { longitude: number; latitude: number; zoom: number };
      const deck = (window.__gridsight?.deck as unknown as { _deck: { props: { viewState?: DeckView }; setProps(p: { viewState?: DeckView }): void } })._deck;
      const deckFollows = () => {
        const v = deck.props.viewState;
        const c = map.getCenter();
        // deck.gl wraps the longitude into [-180, 180) (((lng + 540) % 360) - 180): equal to a billionth of a degree.
        const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;
        return v !== undefined && near(v.longitude, c.lng) && near(v.latitude, c.lat) && near(v.zoom, map.getZoom());
      };
      // MapLibre's frame is its `render` event: one listener put first and one last bracket it, so a view
      // handed to deck.gl between them was handed inside the frame.
      let inFrame = false;
      let viewSetInFrame = false;
      const setProps = deck.setProps.bind(deck);
      deck.setProps = (props) => {
        if (props.viewState && inFrame) viewSetInFrame = true;
        setProps(props);
      };
      const listeners = (map as unknown as { _listeners: Record<string, unknown[]> })._listeners;
      const opening = () => {
        inFrame = true;
        viewSetInFrame = false;
      };
      map.on('render', opening);
      listeners.render!.splice(listeners.render!.indexOf(opening), 1);
      listeners.render!.unshift(opening);
      let drawing: CameraMove | null = null;
      map.on('movestart', () => {
        moves = 0;
      });
      map.on('move', () => {
        moves++;
      });
      map.on('moveend', () => {
        const fade = container.getAnimations().flatMap((a) => (a.effect instanceof KeyframeEffect ? a.effect.getKeyframes() : []));
        const from = fade.find((k) => k.computedOffset === 0)?.opacity;
        drawing = { moves, fadeFrom: from === undefined ? null : Number(from), deckInFrame: null, deckAfter: null };
        w.__cameraMoves!.push(drawing);
      });
      map.on('render', () => {
        inFrame = false;
        const move = drawing;
        if (!move) return;
        drawing = null;
        move.deckInFrame = viewSetInFrame;
        setTimeout(() => {
          move.deckAfter = deckFollows();
        }, 0);
      });
    });
  }

  /**
   * In which order a callback asked of deck.gl's loop's frame provider and a plain requestAnimationFrame asked
   * after it run: ['frame', 'deck'] when deck.gl's frames come in a task after the browser's frame
   * (frameThenTask through drawAfterFrames), ['deck', 'frame'] with luma.gl's default (inside the frame).
   */
  async deckFrameOrder(): Promise<string[]> {
    return this.page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          type Provider = { requestAnimationFrame(cb: () => void): number };
          const hooks = (window as unknown as { __gridsight?: { deck: unknown } }).__gridsight;
          const loop = (hooks?.deck as { _deck?: { animationLoop?: { props: { animationFrameProvider: Provider } } } } | null)?._deck?.animationLoop;
          if (!loop) return reject(new Error("no deck.gl loop on the page's test hooks"));
          const order: string[] = [];
          const ran = (who: string) => {
            order.push(who);
            if (order.length === 2) resolve(order);
          };
          loop.props.animationFrameProvider.requestAnimationFrame(() => ran('deck'));
          requestAnimationFrame(() => ran('frame'));
        }),
    );
  }

  /**
   * The units' ages on the page's map: how many units carry a label, how many distinct pictures they show,
   * how many pictures are still loading, how many are not packed in the layer's atlas, and how many decode
   * when fetched from their data URLs under the page's own CSP, as deck.gl's IconLayer loads them.
   * Reads deck.gl 9.4's IconManager (its pending count and mapping, non-public).
   */
  async agePictures(): Promise<{ labels: number; distinct: number; pending: number; unpacked: number; decoded: number }> {
    return this.page.evaluate(async () => {
      type Icon = { id: string; url: string };
      type AgeLayer = {
        id: string;
        props: { data: unknown[]; getIcon: (u: unknown, info: unknown) => Icon };
        state: { iconManager: { _pendingCount: number; _mapping: Record<string, unknown> } };
      };
      const hooks = (window as unknown as { __gridsight?: { deck: unknown } }).__gridsight;
      const deck = (hooks?.deck as { _deck?: { layerManager: { getLayers(): AgeLayer[] } } } | null)?._deck;
      const layer = deck?.layerManager.getLayers().find((l) => l.id === 'unit-ages');
      if (!layer) throw new Error('no unit-ages layer on the page');
      const manager = layer.state.iconManager;
      const icons = new Map<string, Icon>();
      for (const u of layer.props.data) {
        const icon = layer.props.getIcon(u, { index: 0, data: layer.props.data, target: [] });
        icons.set(icon.id, icon);
      }
      let decoded = 0;
      for (const icon of icons.values()) {
        const bitmap = await createImageBitmap(await (await fetch(icon.url)).blob());
        if (bitmap.width > 0 && bitmap.height > 0) decoded++;
      }
      const unpacked = [...icons.keys()].filter((id) => manager._mapping[id] === undefined).length;
      return { labels: layer.props.data.length, distinct: icons.size, pending: manager._pendingCount, unpacked, decoded };
    });
  }

  /**
   * Hands deck.gl its own layers again in a new array (new layers to take in, nothing to recompute) and
   * notes how its next frame runs: whether deck.gl updated the layers, and whether it drew in the same task
   * as that update (a microtask queued at the update has not run yet at the draw) — false when the update
   * comes in a task ahead of the frame's (drawAfterFrames), true with deck.gl's own frame doing both.
   * deck.gl seals its LayerManager, so the update is watched on its prototype, for this one manager.
   */
  async deckUpdateThenDraw(): Promise<{ updated: boolean; drewInUpdateTask: boolean }> {
    return this.page.evaluate(
      () =>
        new Promise<{ updated: boolean; drewInUpdateTask: boolean }>((resolve, reject) => {
          type LayerManager = { needsUpdate(): unknown; updateLayers(): void };
          type Deck = { props: { layers: unknown[] }; layerManager: LayerManager; redraw(reason?: string): void; animationLoop: { start(): unknown } };
          const hooks = (window as unknown as { __gridsight?: { deck: unknown } }).__gridsight;
          const overlay = hooks?.deck as { _deck?: Deck; setProps(props: { layers: unknown[] }): void } | null;
          const deck = overlay?._deck;
          if (!overlay || !deck) return reject(new Error("no deck.gl on the page's test hooks"));
          const manager = deck.layerManager;
          const managers = Object.getPrototypeOf(manager) as LayerManager;
          const decks = Object.getPrototypeOf(deck) as Deck;
          const update = managers.updateLayers;
          const redraw = decks.redraw;
          let updated = false;
          let inUpdateTask = false;
          const restore = () => {
            managers.updateLayers = update;
            decks.redraw = redraw;
          };
          const timeout = setTimeout(() => {
            restore();
            reject(new Error('deck.gl drew no frame within 5 s of new layers'));
          }, 5_000);
          managers.updateLayers = function (this: LayerManager) {
            const waiting = this === manager && Boolean(this.needsUpdate());
            update.call(this);
            if (!waiting) return;
            updated = true;
            inUpdateTask = true;
            queueMicrotask(() => {
              inUpdateTask = false;
            });
          };
          decks.redraw = function (this: Deck, reason?: string) {
            const drewInUpdateTask = inUpdateTask;
            redraw.call(this, reason);
            if (this !== deck || !updated) return;
            clearTimeout(timeout);
            restore();
            resolve({ updated, drewInUpdateTask });
          };
          overlay.setProps({ layers: [...deck.props.layers] });
          // The idle wall's loop may be asleep (deck-idle.ts): new layers from the page wake it the same way.
          void deck.animationLoop.start();
        }),
    );
  }

  /**
   * From now on, notes each time the page hands deck.gl's canvases new layers: the canvas above (units,
   * alerts, labels) with where its units layer draws team `teamId`, and whether the base
   * canvas below (cells, heatmap, incidents) was handed layers in the same go. The wall has two overlays,
   * base first (`__gridsight.decks`); it hands the canvas above its layers first, then the base's if it does.
   */
  async recordLayerHandovers(teamId: number): Promise<void> {
    await this.page.evaluate((team) => {
      type Handover = { at: [number, number] | null; base: boolean };
      // The wall's dots are binary (unit-dots.ts): the units in draw order, their positions in one typed array.
      type DeckLayer = { id: string; props: { data: { units: { teamId: number }[]; attributes: { getPosition: { value: ArrayLike<number>; size: number } } } } };
      // Where the units layer handed over draws the team (not the page's store: its hooks are updated after
      // the map has handed its layers over, so they still hold the render before).
      const teamAt = (layers: DeckLayer[]): [number, number] | null => {
        const data = layers.find((l) => l.id === 'units')?.props.data;
        if (!data) return null;
        const row = data.units.findIndex((u) => u.teamId === team);
        if (row < 0) return null;
        const { value, size } = data.attributes.getPosition;
        return [value[row * size]!, value[row * size + 1]!];
      };
      const w = window as unknown as { __handovers?: Handover[] };
      const g = window.__gridsight!;
      if (g.decks.length !== 2) throw new Error(`the wall has ${g.decks.length} deck.gl overlays, not 2`);
      const [base, live] = g.decks as unknown as { setProps(p: { layers?: unknown }): void }[];
      w.__handovers = [];
      // A base handed its layers in the same synchronous go as the canvas above belongs to that handover.
      let open: Handover | null = null;
      const liveSet = live!.setProps.bind(live);
      live!.setProps = (props) => {
        if (props.layers) {
          const entry: Handover = { at: teamAt(props.layers as DeckLayer[]), base: false };
          w.__handovers!.push(entry);
          open = entry;
          queueMicrotask(() => {
            if (open === entry) open = null;
          });
        }
        liveSet(props);
      };
      const baseSet = base!.setProps.bind(base);
      base!.setProps = (props) => {
        if (props.layers) {
          if (open) open.base = true;
          else w.__handovers!.push({ at: null, base: true });
        }
        baseSet(props);
      };
    }, teamId);
  }

  /** The first handover noted (recordLayerHandovers) with the team at `at` (to a millionth of a degree), or null. */
  async handoverAt([lon, lat]: [number, number]): Promise<{ base: boolean } | null> {
    return this.page.evaluate(
      ({ lon, lat }) => {
        const all = (window as unknown as { __handovers?: { at: [number, number] | null; base: boolean }[] }).__handovers ?? [];
        const found = all.find((h) => h.at !== null && Math.abs(h.at[0] - lon) < 1e-6 && Math.abs(h.at[1] - lat) < 1e-6);
        return found ? { base: found.base } : null;
      },
      { lon, lat },
    );
  }

  /** The ids of the incidents in the base canvas's incidents layer as last handed over. */
  async baseIncidentIds(): Promise<number[]> {
    return this.page.evaluate(() => {
      type Deck = { props: { layers: { id: string; props: { data: { id: number }[] } }[] } };
      const base = (window.__gridsight!.decks[0] as unknown as { _deck: Deck })._deck;
      return base.props.layers.find((l) => l.id === 'incidents')?.props.data.map((i) => i.id) ?? [];
    });
  }

  /** The camera's moves noted since recordCameraMoves, each once the task after its frame has looked at deck.gl. */
  async cameraMoves(): Promise<CameraMove[]> {
    const read = () => this.page.evaluate(() => (window as unknown as { __cameraMoves?: CameraMove[] }).__cameraMoves ?? []);
    await expect.poll(async () => (await read()).every((m) => m.deckAfter !== null), { timeout: 10_000 }).toBe(true);
    return read();
  }

  /** The generation of the map (1 for the first, +1 per remount after a lost WebGL context). */
  async mapGeneration(): Promise<number> {
    return Number(await this.map().getAttribute('data-map-generation'));
  }

  /**
   * Loses the WebGL context of every canvas in the map (MapLibre's and
   * deck.gl's), as a GPU reset does. Returns how many it lost. The page
   * notes when that was and when the map's generation next changes
   * (remountDelayMs), timed in the page so the test's own round trips, slow
   * on a loaded machine, do not count.
   */
  async loseWebGlContexts(): Promise<number> {
    return this.page.evaluate(() => {
      const container = document.querySelector('[data-testid="map"]')!;
      const w = window as unknown as { __lostAt?: number; __remountedAt?: number | null; __remountWatch?: MutationObserver };
      w.__remountWatch?.disconnect();
      w.__lostAt = performance.now();
      w.__remountedAt = null;
      const watch = new MutationObserver(() => {
        w.__remountedAt = performance.now();
        watch.disconnect();
      });
      watch.observe(container, { attributes: true, attributeFilter: ['data-map-generation'] });
      w.__remountWatch = watch;
      const canvases = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="map"] canvas')];
      let lost = 0;
      for (const c of canvases) {
        // Both canvases hold a context already; getContext hands back the same one.
        const gl = c.getContext('webgl2') ?? c.getContext('webgl');
        const ext = gl?.getExtension('WEBGL_lose_context');
        if (gl && ext && !gl.isContextLost()) {
          ext.loseContext();
          lost++;
        }
      }
      return lost;
    });
  }

  /** Milliseconds from the last loseWebGlContexts to the map's next generation; null until it comes. */
  async remountDelayMs(): Promise<number | null> {
    return this.page.evaluate(() => {
      const w = window as unknown as { __lostAt?: number; __remountedAt?: number | null };
      return w.__remountedAt === null || w.__remountedAt === undefined || w.__lostAt === undefined ? null : w.__remountedAt - w.__lostAt;
    });
  }

  /**
   * What each deck.gl canvas's WebGL context was made with, bottom first (`__gridsight.decks`: the wall's base,
   * then its live canvas). Read from deck.gl's own device: asking the canvas with getContext would make a
   * context with the browser's defaults if deck.gl had none yet.
   */
  async deckContextAttributes(): Promise<{ antialias: boolean; preserveDrawingBuffer: boolean }[]> {
    return this.page.evaluate(() =>
      (window.__gridsight?.decks ?? []).map((d) => {
        const gl = (d as unknown as { _deck?: { device?: { gl?: WebGL2RenderingContext } } })._deck?.device?.gl;
        const attributes = gl && !gl.isContextLost() ? gl.getContextAttributes() : null;
        if (!attributes) throw new Error('deckContextAttributes: a deck.gl overlay with no live WebGL2 context');
        return { antialias: attributes.antialias ?? false, preserveDrawingBuffer: attributes.preserveDrawingBuffer ?? false };
      }),
    );
  }

  /** True when every canvas of the map holds a live WebGL context (and there is at least one). */
  async mapContextsLive(): Promise<boolean> {
    return this.page.evaluate(() => {
      const canvases = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="map"] canvas')];
      return canvases.length > 0 && canvases.every((c) => {
        const gl = c.getContext('webgl2') ?? c.getContext('webgl');
        return gl !== null && !gl.isContextLost();
      });
    });
  }

  /**
   * What MapLibre draws now: the map is asked for a frame and its canvas read
   * back in that frame's 'render' event, while the drawing buffer still holds
   * it (a lost or cleared canvas reads as transparent). Far cheaper than a
   * screenshot, which costs seconds a shot in software WebGL. Colours here
   * count alpha too.
   */
  async basemapPixels(): Promise<MapPixels & { opaqueShare: number }> {
    return this.page.evaluate(
      () =>
        new Promise<MapPixels & { opaqueShare: number }>((resolve, reject) => {
          const map = window.__gridsight?.map;
          if (!map) {
            reject(new Error('basemapPixels: no map'));
            return;
          }
          const gl = (map.getCanvas().getContext('webgl2') ?? map.getCanvas().getContext('webgl')) as WebGL2RenderingContext | WebGLRenderingContext | null;
          if (!gl) {
            reject(new Error('basemapPixels: the map canvas has no WebGL context'));
            return;
          }
          const timer = setTimeout(() => reject(new Error('basemapPixels: the map did not draw a frame within 10 s')), 10_000);
          map.once('render', () => {
            clearTimeout(timer);
            const w = gl.drawingBufferWidth;
            const h = gl.drawingBufferHeight;
            const data = new Uint8Array(w * h * 4);
            // Read the frame MapLibre drew to the screen, leaving its framebuffer binding as it was.
            const bound = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
            gl.bindFramebuffer(gl.FRAMEBUFFER, null);
            gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, data);
            gl.bindFramebuffer(gl.FRAMEBUFFER, bound);
            const counts = new Map<number, number>();
            let opaque = 0;
            for (let i = 0; i < data.length; i += 4) {
              if (data[i + 3]! > 0) opaque++;
              const key = ((data[i]! >> 4) << 12) | ((data[i + 1]! >> 4) << 8) | ((data[i + 2]! >> 4) << 4) | (data[i + 3]! >> 4);
              counts.set(key, (counts.get(key) ?? 0) + 1);
            }
            const pixels = w * h;
            resolve({ colours: counts.size, dominantShare: Math.max(...counts.values()) / pixels, opaqueShare: opaque / pixels });
          });
          map.triggerRepaint();
        }),
    );
  }

  /**
   * What the screen shows of the map: a screenshot of the map element,
   * decoded in the page (createImageBitmap, no data: URL for the CSP to
   * refuse). A blank or cleared map is one colour; the drawn township has many.
   */
  async mapPixels(): Promise<MapPixels> {
    const png = await this.map().screenshot({ animations: 'allow' });
    return this.page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      const counts = new Map<number, number>();
      for (let i = 0; i < data.length; i += 4) {
        const key = ((data[i]! >> 4) << 8) | ((data[i + 1]! >> 4) << 4) | (data[i + 2]! >> 4);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const pixels = data.length / 4;
      return { colours: counts.size, dominantShare: Math.max(...counts.values()) / pixels };
    }, png.toString('base64'));
  }
}
