import type { Connector } from '@aic/connector-core';
import type { Sequence } from './sequence.js';

/** One call a scenario made on the connector: what it was and when (on the scenario's sequence). */
export interface Operation {
  /** `getAccessToken(conformance-2)`: the method and the connection id. */
  readonly label: string;
  readonly startSeq: number;
  /** Set when the call settled. */
  endSeq: number | undefined;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null &&
  (typeof value === 'object' || typeof value === 'function') &&
  typeof (value as { then?: unknown }).then === 'function';

const connectionIdOf = (argument: unknown): string | undefined => {
  const id = (argument as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
};

/**
 * Every call a scenario makes on the connector, so that what the kit finds later (a secret in an
 * error, a line on the console) names the operation that produced it instead of "error #3".
 * Scenarios see the connector through {@link OperationLog.wrap}.
 */
export class OperationLog {
  readonly #sequence: Sequence;
  readonly #active = new Set<Operation>();
  readonly #origins = new WeakMap<object, Operation>();

  constructor(sequence: Sequence) {
    this.#sequence = sequence;
  }

  begin(label: string): Operation {
    const operation: Operation = { label, startSeq: this.#sequence.current, endSeq: undefined };
    this.#active.add(operation);
    return operation;
  }

  end(operation: Operation, outcome?: unknown): void {
    operation.endSeq = this.#sequence.current;
    this.#active.delete(operation);
    if (outcome !== null && (typeof outcome === 'object' || typeof outcome === 'function')) {
      if (!this.#origins.has(outcome)) this.#origins.set(outcome, operation);
    }
  }

  /** The call that returned or threw `value` (an error, a verdict, a status), when the kit saw it. */
  originOf(value: unknown): Operation | undefined {
    return value !== null && typeof value === 'object' ? this.#origins.get(value) : undefined;
  }

  /** What is running now, in words: `getAccessToken(conformance-1)`, `50 × getAccessToken(…)`. */
  activeLabel(): string | undefined {
    if (this.#active.size === 0) return undefined;
    const counts = new Map<string, number>();
    for (const { label } of this.#active) counts.set(label, (counts.get(label) ?? 0) + 1);
    return [...counts].map(([label, n]) => (n === 1 ? label : `${n} × ${label}`)).join(', ');
  }

  /**
   * The connector as scenarios see it: every method call is an {@link Operation}, and what it
   * returns or throws remembers it. Nothing else changes (same arguments, same results).
   */
  wrap(connector: Connector): Connector {
    return new Proxy(connector, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        const method = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]): unknown => {
          const id = connectionIdOf(args[0]);
          const operation = this.begin(`${property}(${id ?? ''})`);
          let result: unknown;
          try {
            result = method.apply(target, args);
          } catch (error) {
            this.end(operation, error);
            throw error;
          }
          if (!isThenable(result)) {
            this.end(operation, result);
            return result;
          }
          return Promise.resolve(result).then(
            (resolved) => {
              this.end(operation, resolved);
              return resolved;
            },
            (error: unknown) => {
              this.end(operation, error);
              throw error;
            },
          );
        };
      },
    });
  }
}
