/**
 * Collects items and hands them to `flush` in batches; `submit` resolves when its batch is
 * written. One flush at a time: items that arrive while one is written go into the next, so a
 * batch grows with the load instead of each few milliseconds paying a transaction of its own.
 */
export class WriteBatcher<T> {
  private items: Array<{ item: T; resolve: () => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  constructor(
    private readonly flushFn: (items: T[]) => Promise<void>,
    private readonly opts: { maxItems: number; maxWaitMs: number },
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.items.push({ item, resolve, reject });
      if (this.flushing) return;
      if (this.items.length >= this.opts.maxItems) this.fire();
      else this.timer ??= setTimeout(() => this.fire(), this.opts.maxWaitMs);
    });
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing) return;
    const batch = this.items.splice(0, this.opts.maxItems);
    if (batch.length === 0) return;
    this.flushing = true;
    this.flushFn(batch.map((b) => b.item))
      .then(
        () => batch.forEach((b) => b.resolve()),
        (err: unknown) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.flushing = false;
        if (this.items.length) this.fire();
      });
  }
}
