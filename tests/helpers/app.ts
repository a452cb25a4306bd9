import type { IncomingMessage, ServerResponse } from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import type { Db } from '../../db/client';
import { createApp, type App } from '../../lib/app';
import { loadConfig } from '../../lib/config';
import type { ClientToServerEvents, ServerToClientEvents, ViewRoom } from '../../lib/model';

export interface RunningApp {
  app: App;
  baseUrl: string;
  close(): Promise<void>;
}

/** The gateway and realtime doors on a random port, without Next (tests of the server side). */
export async function startTestApp(
  db: Db,
  { env = {}, web }: { env?: Record<string, string>; web?: (req: IncomingMessage, res: ServerResponse) => void } = {},
): Promise<RunningApp> {
  const config = loadConfig({ SIM_ENABLED: 'false', ...env });
  const app = createApp({ db, config, web });
  const port = await app.listen(0, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function connectSocket(baseUrl: string, cookie: string, room: ViewRoom = 'map'): Promise<TestSocket> {
  const socket: TestSocket = connect(baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => resolve());
  });
  await new Promise<void>((resolve) => socket.emit('join', room, () => resolve()));
  return socket;
}

/** Waits for the first event that satisfies `match`, or fails after `ms`. */
export function waitForEvent<K extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: K,
  match: (payload: Parameters<ServerToClientEvents[K]>[0]) => boolean,
  ms = 5_000,
): Promise<Parameters<ServerToClientEvents[K]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no matching "${String(event)}" event within ${ms} ms`));
    }, ms);
    const handler = (payload: Parameters<ServerToClientEvents[K]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}
