/**
 * A subscription that streams a piece of state rather than raw events: the current state first,
 * then the state again after each burst of matching events. Events that arrive within `windowMs`
 * of the first one of a burst are folded into one reload, so a wave finishing 50 targets sends a
 * handful of messages, not 50. The source is subscribed before the first load, so no change made
 * meanwhile is lost.
 */
export function latestState<E, V>(
  source: AsyncIterator<E>,
  options: { matches: (event: E) => boolean; load: () => Promise<V>; windowMs: number },
): AsyncGenerator<V> {
  let closed = false;
  async function* run(): AsyncGenerator<V> {
    let pending: Promise<IteratorResult<E>> | null = null;
    const next = () => (pending ??= source.next());
    yield await options.load();
    while (!closed) {
      const first = await next();
      pending = null;
      if (first.done) return;
      if (!options.matches(first.value)) continue;
      const until = Date.now() + options.windowMs;
      for (let left = options.windowMs; left > 0 && !closed; left = until - Date.now()) {
        let timer: NodeJS.Timeout | undefined;
        const tick = new Promise<'tick'>((resolve) => (timer = setTimeout(resolve, left, 'tick')));
        const got = await Promise.race([next(), tick]);
        clearTimeout(timer);
        if (got === 'tick') break;
        pending = null;
        if (got.done) closed = true;
      }
      if (closed) return;
      yield await options.load();
    }
  }
  const gen = run();
  // An async generator queues return() behind a pending next(), which waits for an event that may
  // never come: end the source first, so the pending pull settles and the generator can finish.
  const close = async () => {
    closed = true;
    await source.return?.();
  };
  const originalReturn = gen.return.bind(gen);
  const originalThrow = gen.throw.bind(gen);
  gen.return = async (value) => {
    await close();
    return originalReturn(value);
  };
  gen.throw = async (err) => {
    await close();
    return originalThrow(err);
  };
  return gen;
}
