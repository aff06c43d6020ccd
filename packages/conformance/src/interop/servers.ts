import type { ConnectorManifest } from '@aic/connector-core';
import type { LoadedTarget } from '../target.js';
import { AuthorizationServer } from './authorization-server.js';
import { InteropEdge } from './edge.js';
import { planInterop, type InteropPlan } from './plan.js';

/** The authorization server, its proxy and the protected resource, for one connector. */
export interface InteropServer {
  readonly plan: InteropPlan;
  readonly auth: AuthorizationServer;
  readonly edge: InteropEdge;
}

interface Pooled {
  readonly server: Promise<InteropServer>;
  /** The map this entry is registered in, and its key there. */
  readonly owner: Map<string, Pooled>;
  readonly key: string;
  users: number;
  idle: NodeJS.Timeout | undefined;
}

/** A server nobody uses closes after this long (a safety net; runners close them explicitly). */
const IDLE_MS = 5_000;

const byTarget = new WeakMap<LoadedTarget, Map<string, Pooled>>();
const live = new Set<Pooled>();

async function startServer(manifest: ConnectorManifest, scopes: readonly string[]): Promise<InteropServer> {
  const plan = planInterop(manifest, scopes);
  const auth = await AuthorizationServer.start(plan);
  try {
    return { plan, auth, edge: await InteropEdge.start(auth, plan) };
  } catch (error) {
    await auth.close();
    throw error;
  }
}

async function closeServer(pooled: Pooled): Promise<void> {
  live.delete(pooled);
  if (pooled.owner.get(pooled.key) === pooled) pooled.owner.delete(pooled.key);
  if (pooled.idle !== undefined) clearTimeout(pooled.idle);
  const server = await pooled.server.catch(() => undefined);
  if (server === undefined) return;
  await Promise.all([server.edge.close(), server.auth.close()]);
}

/**
 * The interop server of a connector, shared by every interop scenario of one run (one server per
 * connector, started on first use: a few hundred milliseconds). `scopes` (the scope tokens of
 * the connector's authorization URL) only matter to the first caller. Call the returned release
 * when the scenario ends.
 */
export async function acquireInteropServer(
  target: LoadedTarget,
  manifest: ConnectorManifest,
  scopes: () => Promise<readonly string[]>,
): Promise<{ server: InteropServer; release: () => void }> {
  let servers = byTarget.get(target);
  if (servers === undefined) {
    servers = new Map();
    byTarget.set(target, servers);
  }
  let pooled = servers.get(manifest.id);
  if (pooled === undefined) {
    const created: Pooled = {
      server: scopes().then((s) => startServer(manifest, s)),
      owner: servers,
      key: manifest.id,
      users: 0,
      idle: undefined,
    };
    servers.set(manifest.id, created);
    live.add(created);
    created.server.catch(() => {
      if (servers.get(manifest.id) === created) servers.delete(manifest.id);
      live.delete(created);
    });
    pooled = created;
  }
  const entry = pooled;
  entry.users += 1;
  if (entry.idle !== undefined) clearTimeout(entry.idle);
  entry.idle = undefined;
  const server = await entry.server;
  let released = false;
  return {
    server,
    release: () => {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users > 0) return;
      entry.idle = setTimeout(() => void closeServer(entry), IDLE_MS);
      entry.idle.unref();
    },
  };
}

/** Closes every interop server still running (the runners call it when a run ends). */
export async function closeInteropServers(): Promise<void> {
  await Promise.all([...live].map((pooled) => closeServer(pooled)));
}
