// Load generator for bench/ingest.ts, run as its own process so it does not
// share an event loop with the server it measures. Reads its job from argv[2]
// (JSON), prints one JSON result line.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface Job {
  url: string;
  mode: 'osmand' | 'batch';
  connections: number;
  seconds: number;
  devicesFile: string;
  lat: number;
  lon: number;
  fixesPerRequest: number;
  /** Distinct fix times: each process run gets its own range. */
  timeBase: number;
}

const job = JSON.parse(process.argv[2]!) as Job;
const devices = readFileSync(job.devicesFile, 'utf8').trim().split('\n');
let n = 0;
// Every fix gets a distinct (device, time): device round-robin, time advancing
// one millisecond per full round, so nothing is a duplicate.
const nextFix = () => {
  const i = n++;
  return {
    device: devices[i % devices.length]!,
    time: job.timeBase + Math.floor(i / devices.length),
    lat: job.lat + ((i % 997) - 498) * 1e-5,
    lon: job.lon + ((i % 991) - 495) * 1e-5,
  };
};

const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  pipelining: 1,
  requests: [
    {
      setupRequest(req) {
        if (job.mode === 'osmand') {
          const f = nextFix();
          return { ...req, method: 'POST', path: `/ingest/osmand?id=${f.device}&lat=${f.lat}&lon=${f.lon}&timestamp=${f.time}&speed=3&batt=80` };
        }
        const fixes = Array.from({ length: job.fixesPerRequest }, nextFix);
        return {
          ...req,
          method: 'POST',
          path: '/ingest/batch',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fixes }),
        };
      },
    },
  ],
});

const r = result;
console.log(
  JSON.stringify({
    requests: r.requests.total,
    rps: r.requests.total / job.seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    sentFixes: n,
  }),
);
