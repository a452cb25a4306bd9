// What every Redis client of a process shares (lib/limits.ts, lib/cluster.ts):
// how it reconnects, and an outage reported once, not at every retry.
import type { createClient } from 'redis';

/** Connect within 2 s; retry every 0.2, 0.4 … at most 5 s, for ever (connect() never rejects for an unreachable server). */
export const REDIS_SOCKET = {
  connectTimeout: 2_000,
  reconnectStrategy: (retries: number) => Math.min(200 * (retries + 1), 5_000),
};

/**
 * Logs the client's first error of an outage and its return, each once:
 * `[who] Redis at host is unreachable (why): <down>` and `… is back: <back>`.
 */
export function reportOutages(client: ReturnType<typeof createClient>, url: string, { who, down, back }: { who: string; down: string; back: string }): void {
  const host = new URL(url).host;
  let isDown = false;
  client.on('error', (err: Error) => {
    if (isDown) return;
    isDown = true;
    console.warn(`[${who}] Redis at ${host} is unreachable (${err.message}): ${down}`);
  });
  client.on('ready', () => {
    if (isDown) console.warn(`[${who}] Redis at ${host} is back: ${back}`);
    isDown = false;
  });
}
