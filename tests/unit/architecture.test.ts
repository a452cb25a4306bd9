// The layers and what each may import (docs/ARCHITECTURE.md draws them):
//
//   app/ → components/ → lib/ → db/ → lib/model/
//
// A source scan of every import statement (static, re-export, side-effect and
// dynamic) under app/, components/, lib/ and db/; each rule below fails with
// the offending `file → import` pairs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCANNED = ['app', 'components', 'lib', 'db'];
const SOURCE = /\.(ts|tsx|mts|cts)$/;

/** One import: `from` is a root-relative file; `to` is a root-relative file for our code, else the package specifier. */
export interface Edge {
  from: string;
  to: string;
  internal: boolean;
}

function sourceFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  return readdirSync(abs).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return SOURCE.test(name) ? [rel] : [];
  });
}

const IMPORT_PATTERNS = [
  // import x from '…', import type { … } from '…', export { … } from '…', export * from '…'
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g,
  // import '…' (side effects)
  /(?:^|[\s;])import\s*['"]([^'"]+)['"]/g,
  // import('…'), vi.importActual('…') and the like
  /\bimport(?:Actual)?\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Comments out of the way, so an import written in one is not counted. */
const stripComments = (src: string): string => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

export function importSpecifiers(src: string): string[] {
  const code = stripComments(src);
  return IMPORT_PATTERNS.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!));
}

function resolveInternal(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('@/')) base = spec.slice(2);
  else if (spec.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    const abs = path.join(ROOT, candidate);
    try {
      if (statSync(abs).isFile()) return candidate;
    } catch {
      // not this candidate; the next one may exist
    }
  }
  // Unresolvable: kept as written (tsc reports it); the rules still see where it points.
  return base;
}

export function scanEdges(): Edge[] {
  return SCANNED.flatMap(sourceFiles).flatMap((from) =>
    importSpecifiers(readFileSync(path.join(ROOT, from), 'utf8')).map((spec) => {
      const internal = resolveInternal(from, spec);
      return internal === null ? { from, to: spec, internal: false } : { from, to: internal, internal: true };
    }),
  );
}

const under = (...prefixes: string[]) => (file: string) => prefixes.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));

/** Node's own modules (`node:fs`, `fs`, `fs/promises`, …). */
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);
/** Packages that only run on the server. */
const SERVER_PACKAGES = ['pg', 'socket.io', '@electric-sql/pglite', '@electric-sql/pglite-postgis'];
const isServerPackage = (spec: string) => isNodeBuiltin(spec) || SERVER_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`));

/**
 * What the browser may load: components/ and the client-safe part of lib/
 * (the model, the live store, the hooks, the UI strings, the sign-in path
 * check, the import's contract the admin page renders, the briefing's heatmap snapshot chart the page and the PDF
 * both draw). Everything else in lib/ (the gate, sessions, passwords, the demo
 * accounts, ingest, the realtime server, the registry, the bus, …) and all of
 * db/ is server code.
 */
const isClientSafe = under(
  'components/',
  'lib/model/',
  'lib/live/',
  'lib/hooks/',
  'lib/i18n/',
  'lib/auth/next-path.ts',
  'lib/import/types.ts',
  'lib/briefing-snapshot.ts',
);

interface Rule {
  name: string;
  /** The files the rule is about. */
  applies: (file: string) => boolean;
  /** True when the import breaks the rule. */
  breaks: (edge: Edge) => boolean;
}

const isRouteHandler = (file: string) => /^app\/api\/.+\/route\.tsx?$/.test(file);

export const RULES: Rule[] = [
  {
    name: 'lib/model/ imports nothing outside itself, not even a package',
    applies: under('lib/model/'),
    breaks: (e) => !(e.internal && e.to.startsWith('lib/model/')),
  },
  {
    name: 'db/ imports only db/ and lib/model/ of our code',
    applies: under('db/'),
    breaks: (e) => e.internal && !under('db/', 'lib/model/')(e.to),
  },
  {
    name: 'lib/ never imports components/ or app/',
    applies: under('lib/'),
    breaks: (e) => e.internal && under('components/', 'app/')(e.to),
  },
  {
    name: 'components/ and the client-safe part of lib/ import no server code (db/, server-side lib/, node: modules, server packages)',
    applies: isClientSafe,
    breaks: (e) => (e.internal ? !isClientSafe(e.to) : isServerPackage(e.to)),
  },
  {
    name: 'layer builders and the live store are pure: no hooks, no React',
    applies: under('components/map/layers/', 'components/map/build-layers.ts', 'lib/live/'),
    breaks: (e) => (e.internal ? e.to.startsWith('lib/hooks/') : e.to === 'react' || e.to.startsWith('react/')),
  },
  {
    name: 'the township planner (lib/sim/township/) imports only itself and lib/model/: it plans, db/ writes',
    applies: under('lib/sim/township/'),
    breaks: (e) => e.internal && !under('lib/sim/township/', 'lib/model/')(e.to),
  },
  {
    name: 'nothing below app/ imports app/',
    applies: under('components/', 'lib/', 'db/'),
    breaks: (e) => e.internal && e.to.startsWith('app/'),
  },
];

/** A route handler that writes audit rows or publishes on the bus itself is a service in the wrong room. */
const handlerSideEffects = (edges: Edge[]) =>
  [...new Set(edges.filter((e) => isRouteHandler(e.from) && e.internal && (e.to === 'db/audit.ts' || e.to === 'lib/bus.ts')).map((e) => e.from))].sort();

export function violations(edges: Edge[], rules: Rule[] = RULES): string[] {
  return rules.flatMap((r) => edges.filter((e) => r.applies(e.from) && r.breaks(e)).map((e) => `${r.name}: ${e.from} → ${e.to}`));
}

describe('import boundaries', () => {
  const edges = scanEdges();

  it('sees the imports it is checking (the scan is not empty-handed)', () => {
    // A broken scanner would pass every rule; these edges exist in the tree.
    expect(edges).toContainEqual({ from: 'db/users.ts', to: 'lib/model/index.ts', internal: true });
    expect(edges).toContainEqual({ from: 'lib/realtime/server.ts', to: 'socket.io', internal: false });
    expect(edges.filter((e) => e.from.startsWith('components/') && e.to.startsWith('lib/model/')).length).toBeGreaterThan(10);
    expect(edges.filter((e) => isRouteHandler(e.from)).length).toBeGreaterThan(20);
  });

  for (const rule of RULES) {
    it(rule.name, () => {
      expect(violations(edges, [rule])).toEqual([]);
    });
  }

  it('route handlers import neither db/audit nor lib/bus: services write audit rows and publish', () => {
    expect(handlerSideEffects(edges)).toEqual([]);
  });
});

describe('the rules catch each kind of break', () => {
  const edge = (from: string, to: string): Edge => ({ from, to, internal: !/^[a-z@]/.test(to) || /^(app|components|lib|db)\//.test(to) });

  it.each([
    ['db/ importing lib/', edge('db/incidents.ts', 'lib/bus.ts')],
    ['db/ importing lib/ (the old home of the shared types)', edge('db/users.ts', 'lib/api-types.ts')],
    ['lib/model/ importing db/', edge('lib/model/roles.ts', 'db/users.ts')],
    ['lib/model/ importing a package', edge('lib/model/api.ts', 'zod')],
    ['a component importing db/', edge('components/admin/user-list.tsx', 'db/users.ts')],
    ['a component importing the session store', edge('components/common/me-badge.tsx', 'lib/auth/sessions.ts')],
    ['a component importing the registry', edge('components/live-map.tsx', 'lib/registry.ts')],
    ['a component importing ingest', edge('components/panels/legend.tsx', 'lib/ingest/fix.ts')],
    ['a component importing a node module', edge('components/map/icons.ts', 'node:crypto')],
    ['a component importing a bare node module', edge('components/map/icons.ts', 'fs')],
    ['a component importing pg', edge('components/map/icons.ts', 'pg')],
    ['a hook importing the realtime server', edge('lib/hooks/use-live.ts', 'lib/realtime/server.ts')],
    ['a layer builder importing a hook', edge('components/map/layers/unit-layer.ts', 'lib/hooks/use-live.ts')],
    ['the live store importing React', edge('lib/live/live-store.ts', 'react')],
    ['lib/ importing a component', edge('lib/incidents.ts', 'components/map/palette.ts')],
  ])('%s', (_name, e) => {
    expect(violations([e])).not.toEqual([]);
  });

  it.each([
    ['db/ importing the model', edge('db/users.ts', 'lib/model/index.ts')],
    ['db/ importing pg', edge('db/client.ts', 'pg')],
    ['lib/ importing db/', edge('lib/incidents.ts', 'db/incidents.ts')],
    ['a component importing the live store', edge('components/map/layers/unit-layer.ts', 'lib/live/live-store.ts')],
    ['a component importing socket.io-client', edge('components/live-map.tsx', 'socket.io-client')],
    ['a hook importing the model', edge('lib/hooks/use-me.ts', 'lib/model/index.ts')],
  ])('allows %s', (_name, e) => {
    expect(violations([e])).toEqual([]);
  });

  it('a handler importing db/audit or lib/bus is found', () => {
    expect(handlerSideEffects([edge('app/api/alerts/route.ts', 'db/audit.ts'), edge('app/api/units/route.ts', 'lib/bus.ts'), edge('app/api/grids/route.ts', 'db/map-layers.ts')])).toEqual([
      'app/api/alerts/route.ts',
      'app/api/units/route.ts',
    ]);
  });

  it('reads every form of import, and none in comments', () => {
    const src = [
      "import type { A } from '../model';",
      "import {\n  b,\n  type C,\n} from '@/db/users';",
      "export * from './roles';",
      "import 'maplibre-gl/dist/maplibre-gl.css';",
      "const m = await import('node:fs');",
      "// import { x } from 'pg';",
      "/* import y from 'socket.io'; */",
    ].join('\n');
    expect(importSpecifiers(src).sort()).toEqual(['../model', './roles', '@/db/users', 'maplibre-gl/dist/maplibre-gl.css', 'node:fs'].sort());
  });
});
