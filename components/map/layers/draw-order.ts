// A list's markers in draw order, and those wearing a ring, worked out once per
// list. The layers are built again whenever anything on the map changes — every
// batch of unit fixes on a wall, every pulse frame — and a freshly sorted or
// filtered array each time was new data to deck.gl, which recomputed every
// marker (a day's 3,000 incidents on the wall's load benchmark) for a change
// elsewhere. The live lists are never changed in place (a change is a new
// list), so a list is its own key.

interface Ordering<T> {
  ordered: T[];
  ringed: { by: unknown; list: T[] } | null;
}

export class DrawOrders<In, Out extends In = In> {
  readonly #orders = new WeakMap<object, Ordering<Out>>();
  readonly #order: (items: Iterable<In>) => Out[];

  /** `order`: the list's markers in draw order (bottom first); it may leave some out. */
  constructor(order: (items: Iterable<In>) => Out[]) {
    this.#order = order;
  }

  /**
   * The list's markers in draw order, and those `ringed` says wear a ring (`by`
   * names what that depends on: the rings' map, or the time). The same arrays
   * come back for the same list and the same `by`.
   */
  of(items: Iterable<In>, ringed: (item: Out) => boolean, by: unknown): { ordered: Out[]; ringed: Out[] } {
    let o = this.#orders.get(items);
    if (!o) {
      o = { ordered: this.#order(items), ringed: null };
      this.#orders.set(items, o);
    }
    if (o.ringed === null || o.ringed.by !== by) o.ringed = { by, list: o.ordered.filter(ringed) };
    return { ordered: o.ordered, ringed: o.ringed.list };
  }
}
