import { Dispatcher } from 'undici';

const BODY = Buffer.from(JSON.stringify({ items: [{ id: 1, name: 'laptop' }], totalResults: 1 }));
const TOKEN = (n: number): Buffer =>
  Buffer.from(JSON.stringify({ access_token: `instant-${n}`, token_type: 'Bearer', expires_in: 3600 }));

/**
 * An undici `Dispatcher` that answers every request in process, on the next macrotask, without a
 * socket: `POST /token` with a new access token, anything else with a small 200 JSON body. What is
 * left of a call's CPU time is the caller's own work plus undici's API layer (`request()`, its body
 * stream), the same for every contender: the difference between two contenders is their own cost,
 * without the kernel, the provider or the other processes of a busy machine in it.
 */
export class InstantDispatcher extends Dispatcher {
  #tokens = 0;

  /** Token requests answered so far. */
  get tokenRequests(): number {
    return this.#tokens;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    let aborted = false;
    const controller = {
      abort: () => {
        aborted = true;
      },
      pause: () => undefined,
      resume: () => undefined,
      get aborted() {
        return aborted;
      },
      get paused() {
        return false;
      },
      reason: null,
    } as unknown as Dispatcher.DispatchController;
    const body = options.method === 'POST' && options.path.endsWith('/token') ? TOKEN(++this.#tokens) : BODY;
    handler.onRequestStart?.(controller, {});
    setImmediate(() => {
      if (aborted) return;
      handler.onResponseStart?.(
        controller,
        200,
        { 'content-type': 'application/json', 'content-length': String(body.length) },
        'OK',
      );
      handler.onResponseData?.(controller, body);
      handler.onResponseEnd?.(controller, {});
    });
    return true;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}
