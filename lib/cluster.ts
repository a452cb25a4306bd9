// Several GridSight processes on one database (issue 15): what joins them
// besides the database itself. With REDIS_URL, one Redis connection per process
// carries socket.io's Redis Streams adapter (what dashboards see, sent once by
// the process where it happened, with connection-state recovery across
// processes) and the bus relay (the shared bus events, lib/bus.ts). Without
// REDIS_URL there is none: one process, as before.
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { BusRelay, SharedEvent } from './bus';
import { REDIS_SOCKET, reportOutages } from './redis';

type Redis = ReturnType<typeof createClient>;

/** A short id for one app instance: every live event and bus message says which process sent it. */
export function newOrigin(): string {
  return randomBytes(6).toString('base64url');
}

interface RelayMessage {
  origin: string;
  event: SharedEvent;
  args: unknown[];
}

export class ClusterLink implements BusRelay {
  /**
   * Publishes (bus messages, the adapter's XADD, session keys). Commands fail at
   * once while Redis is away instead of queueing: a live event still reaches this
   * process's own sockets without waiting (socket.io's cluster adapter delivers
   * locally when its publish fails), and the other processes' dashboards see the
   * gap in this origin's `seq` once Redis is back and resync.
   */
  readonly redis: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  #receive: ((event: SharedEvent, args: unknown[]) => void) | null = null;

  constructor(
    url: string,
    readonly prefix: string,
    readonly origin: string,
  ) {
    this.#channel = `${prefix}:bus`;
    const options = { url, socket: REDIS_SOCKET };
    this.redis = createClient({ ...options, disableOfflineQueue: true });
    // The adapter reads the stream (a blocking XREAD) and listens on pub/sub on
    // duplicates of `redis`: those must wait out an outage in node-redis's queue,
    // not fail at once (the adapter's read loop retries a failed read at once, so
    // failing reads would spin).
    const duplicate = (): Redis => {
      const client = createClient(options);
      client.on('error', () => undefined); // reported once by `redis`'s listener
      return client;
    };
    Object.assign(this.redis, { duplicate });
    reportOutages(this.redis, url, {
      who: 'cluster',
      down: 'live events stay in this process until it is back',
      back: 'live events reach every process again',
    });
    this.#subscriber = duplicate();
    // connect() retries by itself (reconnectStrategy) and never rejects for an unreachable server.
    void this.redis.connect().catch(() => undefined);
    void this.#subscriber.connect().catch(() => undefined);
    void this.#subscriber
      .subscribe(this.#channel, (raw) => this.#onMessage(raw))
      .catch((err: unknown) => console.warn('[cluster] cannot listen for bus messages:', (err as Error).message));
  }

  send(event: SharedEvent, args: unknown[]): void {
    const message: RelayMessage = { origin: this.origin, event, args };
    // Lost while Redis is away (logged once by the error listener): what the
    // other processes miss is what they would have heard while cut off.
    this.redis.publish(this.#channel, JSON.stringify(message)).catch(() => undefined);
  }

  receive(fn: (event: SharedEvent, args: unknown[]) => void): void {
    this.#receive = fn;
  }

  #onMessage(raw: string): void {
    let message: RelayMessage;
    try {
      message = JSON.parse(raw) as RelayMessage;
    } catch {
      console.warn('[cluster] unreadable bus message ignored');
      return;
    }
    if (message.origin === this.origin) return;
    try {
      this.#receive?.(message.event, message.args);
    } catch (err) {
      console.error(`[cluster] ${message.event} from another process failed here:`, (err as Error).message);
    }
  }

  async close(): Promise<void> {
    for (const client of [this.#subscriber, this.redis]) {
      if (!client.isOpen) continue;
      if (client.isReady) await client.close().catch(() => client.destroy());
      else client.destroy();
    }
  }
}
