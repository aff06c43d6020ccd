import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  readonly payload: AdapterPayload;
  /** Epoch ms, or undefined for entries that never expire (clients). */
  readonly expiresAt: number | undefined;
}

/**
 * The authorization server's storage: one in-memory store per server (oidc-provider's own memory
 * adapter is one process-wide LRU shared by every provider instance), with the grant index
 * `revokeByGrantId` needs. Clients are written by the kit ({@link InteropStore.putClient}): each
 * scenario registers its own, so scenarios sharing one server never share a client or a grant.
 */
export class InteropStore {
  readonly #entries = new Map<string, Entry>();
  readonly #byGrant = new Map<string, Set<string>>();
  readonly #byUid = new Map<string, string>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The adapter factory to configure oidc-provider with. */
  readonly factory: AdapterFactory = (model: string): Adapter => this.#adapter(model);

  /** Registers (or replaces) a client's metadata. */
  putClient(metadata: AdapterPayload & { client_id: string }): void {
    this.#entries.set(`Client:${metadata.client_id}`, { payload: { ...metadata }, expiresAt: undefined });
  }

  #get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  #adapter(model: string): Adapter {
    const keyOf = (id: string): string => `${model}:${id}`;
    return {
      upsert: (id, payload, expiresIn) => {
        const key = keyOf(id);
        this.#entries.set(key, {
          payload: { ...payload },
          expiresAt: typeof expiresIn === 'number' ? this.#now() + expiresIn * 1000 : undefined,
        });
        if (typeof payload.grantId === 'string') {
          const members = this.#byGrant.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          this.#byGrant.set(payload.grantId, members);
        }
        if (typeof payload.uid === 'string') this.#byUid.set(`${model}:${payload.uid}`, id);
        return Promise.resolve();
      },
      find: (id) => {
        return Promise.resolve(this.#get(keyOf(id)));
      },
      findByUid: (uid) => {
        const id = this.#byUid.get(`${model}:${uid}`);
        return Promise.resolve(id === undefined ? undefined : this.#get(keyOf(id)));
      },
      findByUserCode: () => {
        return Promise.resolve(undefined);
      },
      consume: (id) => {
        const entry = this.#entries.get(keyOf(id));
        if (entry !== undefined) {
          this.#entries.set(keyOf(id), {
            payload: { ...entry.payload, consumed: Math.floor(this.#now() / 1000) },
            expiresAt: entry.expiresAt,
          });
        }
        return Promise.resolve();
      },
      destroy: (id) => {
        this.#entries.delete(keyOf(id));
        return Promise.resolve();
      },
      revokeByGrantId: (grantId) => {
        for (const key of this.#byGrant.get(grantId) ?? []) this.#entries.delete(key);
        this.#byGrant.delete(grantId);
        return Promise.resolve();
      },
    };
  }
}
