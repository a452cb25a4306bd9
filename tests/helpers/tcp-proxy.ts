import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Db } from '../../db/client';

/**
 * A TCP proxy in front of the PostGIS server, so a test can make the database
 * unreachable — every connection cut and new ones refused (down/up), or every
 * connection silently black-holed as by a network that drops packets without
 * a reset (hang/heal) — and bring it back.
 */
export class TcpProxy {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  /** Pairs that still forward bytes; hang() takes them all out of here for good. */
  readonly #live = new Set<() => void>();
  #hanging = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<number> {
    const server = createServer((client) => {
      this.#sockets.add(client);
      if (this.#hanging) {
        // Accepted, then never answered: the client's connect succeeds and its
        // start-up message goes nowhere.
        client.pause();
        client.on('error', () => client.destroy()).on('close', () => this.#sockets.delete(client));
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      this.#sockets.add(upstream);
      let stuck = false;
      const drop = () => {
        // A black-holed connection passes on nothing, not even its end.
        if (stuck) return;
        this.#live.delete(freeze);
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      const freeze = () => {
        stuck = true;
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      };
      this.#live.add(freeze);
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    return this.port;
  }

  /** Cut every connection (stuck ones too) and refuse new ones. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    this.#hanging = false;
    this.#live.clear();
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accept connections again on the same port. */
  async up(): Promise<void> {
    await this.start(this.port);
  }

  /**
   * Stop forwarding bytes in both directions on every open connection, and
   * black-hole new ones, without closing anything: no FIN, no RST, as when
   * the network drops every packet.
   */
  hang(): void {
    this.#hanging = true;
    for (const freeze of this.#live) freeze();
    this.#live.clear();
  }

  /**
   * Forward NEW connections again. The ones open during the hang stay stuck,
   * as a half-dead TCP connection does until its owner gives up on it.
   */
  heal(): void {
    this.#hanging = false;
  }
}

/**
 * A proxy in front of a test database's server and a pool that reaches the
 * database only through it: the app under test sees every fault the proxy makes.
 */
export async function proxyInFront(
  databaseUrl: string,
  open: (opts: { databaseUrl: string }) => Promise<Db>,
): Promise<{ proxy: TcpProxy; appDb: Db }> {
  const target = new URL(databaseUrl);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  const viaProxy = new URL(databaseUrl);
  viaProxy.port = String(proxy.port);
  return { proxy, appDb: await open({ databaseUrl: viaProxy.toString() }) };
}
