/** A monotonic counter shared by the recorder and the token store: it orders what happened. */
export class Sequence {
  #value = 0;

  next(): number {
    this.#value += 1;
    return this.#value;
  }

  /** The last value handed out (0 before the first). */
  get current(): number {
    return this.#value;
  }
}
