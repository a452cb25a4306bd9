// Devices or dashboards for bench/fanout.ts, each in its own process so
// neither shares an event loop with the other or with the server they
// measure. Reads its job from argv[2] (JSON); dashboards print "ready" when
// connected and then read the measured window from stdin; each prints one
// JSON result line at the end.
//
// Dashboards: signed-in socket.io clients (websocket) in the map room, each
// taking fix time → arrival for every unit update it receives, from the
// whole-record `positions` event (the feed before issue 15) or the compact
// `moves` event; only fixes timed inside the measured window count.
// Devices: each posts one fix (fix time = now) to /ingest/batch once a
// second, the devices spread evenly over the second, over keep-alive HTTP.
import { Agent, request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../lib/model';
import { percentile } from './stats';

interface Job {
  role: 'devices' | 'dashboards';
  url: string;
  /** Dashboards: their session cookies. */
  cookies: string[];
  /** Devices: their identifiers. */
  devices: string[];
  lon: number;
  lat: number;
  /** The measured window, epoch ms: fixes timed inside it count (dashboards get it on stdin once connected). */
  from: number;
  until: number;
  /** Dashboards: how long after the window updates for fixes timed inside it are still counted (default 2 s). */
  drainMs?: number;
}

const job = JSON.parse(process.argv[2]!) as Job;
async function readWindow(): Promise<void> {
  let line = '';
  for await (const chunk of process.stdin) {
    line += String(chunk);
    if (line.includes('\n')) break;
  }
  Object.assign(job, JSON.parse(line) as Pick<Job, 'from' | 'until'>);
}
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
const inWindow = (fixTime: number) => fixTime >= job.from && fixTime < job.until;
const drainMs = job.drainMs ?? 2_000;

if (job.role === 'dashboards') {
  type Dashboard = Socket<ServerToClientEvents, ClientToServerEvents>;
  const latencies: number[] = [];
  let deliveries = 0;
  /** Bytes of the unit events dashboard 0 received (as socket.io's default parser frames them: "42" + JSON), and the unit updates in them. */
  let bytes = 0;
  let bytesUnits = 0;
  let unitEvents = 0;
  const frame = (event: string, payload: unknown): number => 2 + Buffer.byteLength(JSON.stringify([event, payload]));
  const measuring = () => {
    const now = Date.now();
    return now >= job.from && now < job.until + drainMs;
  };

  const connect = async (cookie: string, first: boolean): Promise<Dashboard> => {
    const socket: Dashboard = io(job.url, { path: '/socket.io', transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
    socket.on('positions', (e) => {
      if (!measuring()) return;
      const now = Date.now();
      let n = 0;
      for (const u of Object.values(e.data)) {
        const t = u.fixTime === null ? NaN : Date.parse(u.fixTime);
        if (!inWindow(t)) continue;
        latencies.push(now - t);
        n++;
      }
      deliveries += n;
      if (first && n > 0) {
        bytes += frame('positions', e);
        bytesUnits += Object.keys(e.data).length;
        unitEvents++;
      }
    });
    socket.on('moves', (e) => {
      if (!measuring()) return;
      const now = Date.now();
      let n = 0;
      for (const dt of e.data.t) {
        const t = e.serverTime + dt;
        if (!inWindow(t)) continue;
        latencies.push(now - t);
        n++;
      }
      deliveries += n;
      if (first && n > 0) {
        bytes += frame('moves', e);
        bytesUnits += e.data.i.length;
        unitEvents++;
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('connect', () => resolve());
    });
    await new Promise<void>((resolve) => socket.emit('join', 'map', () => resolve()));
    return socket;
  };

  const dashboards: Dashboard[] = [];
  for (let k = 0; k < job.cookies.length; k += 20) {
    dashboards.push(...(await Promise.all(job.cookies.slice(k, k + 20).map((c, j) => connect(c, k + j === 0)))));
  }
  console.log('ready');
  await readWindow();
  // Updates for fixes timed inside the window may still be on their way when it closes.
  await sleepUntil(job.until + drainMs);
  for (const s of dashboards) s.close();
  const seconds = (job.until - job.from) / 1000;
  console.log(
    JSON.stringify({
      dashboards: dashboards.length,
      deliveries,
      deliveriesPerSec: Math.round(deliveries / seconds),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
      bytesPerUnit: bytesUnits === 0 ? NaN : +(bytes / bytesUnits).toFixed(1),
      unitEventsPerSec: +(unitEvents / seconds).toFixed(1),
    }),
  );
  process.exit(0);
} else {
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const target = new URL('/ingest/batch', job.url);
  const post = (body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  let posted = 0;
  let refused = 0;
  let failed = 0;
  const postLatencies: number[] = [];
  const device = async (identifier: string, k: number): Promise<void> => {
    // Spread over the second, then once a second on a fixed schedule, until the window closes.
    let next = Date.now() + (k * 1000) / job.devices.length;
    for (let step = 0; next < job.until; step++, next += 1000) {
      await sleepUntil(next);
      const t = Date.now();
      const fix = { device: identifier, time: t, lon: job.lon + ((k % 97) - 48) * 2e-5 + (step % 10) * 1e-5, lat: job.lat + ((k % 89) - 44) * 2e-5, speed: 1.4, heading: (step * 7) % 360, battery: 80 };
      try {
        const status = await post(JSON.stringify({ fixes: [fix] }));
        if (!inWindow(t)) continue;
        if (status === 200) {
          posted++;
          postLatencies.push(Date.now() - t);
        } else refused++;
      } catch {
        if (inWindow(t)) failed++;
      }
    }
  };
  await Promise.all(job.devices.map((d, k) => device(d, k)));
  agent.destroy();
  console.log(JSON.stringify({ devices: job.devices.length, fixesPosted: posted, refused, failed, postP50: percentile(postLatencies, 50), postP99: percentile(postLatencies, 99) }));
  process.exit(0);
}
