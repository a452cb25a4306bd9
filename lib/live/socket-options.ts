// The live socket's connection options, written once: lib/hooks/use-live.ts
// connects with them and bench/reconnect.ts measures exactly them (100 walls
// through a server restart).
import type { ManagerOptions, SocketOptions } from 'socket.io-client';

/**
 * Reconnection with jittered exponential back-off. socket.io-client waits
 * `reconnectionDelay × 2^n` before attempt n+1, moved by up to ± that ×
 * `randomizationFactor` and then capped at `reconnectionDelayMax` — so at the
 * cap every client waits exactly the cap, and what spreads the clients out is
 * the phase each one picked up on its first few, jittered, attempts.
 *
 * - reconnectionDelay 1 s: a dropped network or a quick restart is rejoined
 *   within a second or two (the first attempt after 0.5–1.5 s).
 * - randomizationFactor 0.5: every wall loses a restarting server in the
 *   same instant. Without jitter all 100 walls of bench:reconnect retried
 *   within one 100 ms window, the server queued them, and the snapshot
 *   refetch that follows an unrecovered reconnect took 5.5 s at p90 (177
 *   requests in flight); with 0.5, at most 5 attempts began in any 100 ms
 *   and the refetch took 0.2 s at p90 (12 in flight).
 * - reconnectionDelayMax 10 s: the window the walls are spread over. 100
 *   walls' refetch is about 6 s of the 2-core server's work (PGlite), so a
 *   10 s window keeps it ahead of the queue where 5 s would not; every wall
 *   was back within 9.5 s of the server listening again (p50 5.1 s), showing
 *   "connection lost since hh:mm" meanwhile.
 *
 * Figures: docs/BENCHMARKS.md, `npm run bench:reconnect`.
 *
 * WebSocket first: one connection, so several processes behind a load
 * balancer need no sticky sessions (issue 15; long-polling's requests must all
 * reach the process that holds the session). Where a proxy will not pass
 * WebSockets, long-polling is tried next (tryAllTransports) — behind one
 * process, or a balancer with sticky routing.
 */
export const LIVE_SOCKET_OPTIONS = {
  path: '/socket.io',
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
  reconnection: true,
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 10_000,
  randomizationFactor: 0.5,
} as const satisfies Partial<ManagerOptions & SocketOptions>;
