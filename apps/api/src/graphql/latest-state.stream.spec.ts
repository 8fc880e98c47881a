import { PubSub } from 'graphql-subscriptions';
import { describe, expect, it } from 'vitest';
import { latestState } from './latest-state.stream.js';

type Ev = { id: string };

function setup(windowMs = 50) {
  const bus = new PubSub<{ ev: Ev }>();
  let version = 0;
  let loads = 0;
  const stream = latestState<Ev, number>(bus.asyncIterableIterator('ev'), {
    matches: (e) => e.id === 'a',
    load: async () => {
      loads++;
      return version;
    },
    windowMs,
  });
  return { bus, stream, bump: () => ++version, loads: () => loads };
}

describe('latestState', () => {
  it('sends the current state first, before any event', async () => {
    const { stream, bump } = setup();
    bump();
    expect(await stream.next()).toEqual({ value: 1, done: false });
    await stream.return(undefined);
  });

  it('folds a burst of events into one reload and ignores events of other keys', async () => {
    const { bus, stream, bump, loads } = setup(50);
    await stream.next();
    const second = stream.next();
    for (let i = 0; i < 7; i++) {
      bump();
      await bus.publish('ev', { id: 'a' });
      await bus.publish('ev', { id: 'b' });
    }
    expect(await second).toEqual({ value: 7, done: false });
    expect(loads()).toBe(2);
    // a later event after the window is a new message
    const third = stream.next();
    await new Promise((r) => setTimeout(r, 60));
    bump();
    await bus.publish('ev', { id: 'a' });
    expect(await third).toEqual({ value: 8, done: false });
    expect(loads()).toBe(3);
    await stream.return(undefined);
  });

  it('never reloads for events of other keys', async () => {
    const { bus, stream, loads } = setup(10);
    await stream.next();
    const pending = stream.next();
    for (let i = 0; i < 5; i++) await bus.publish('ev', { id: 'b' });
    await new Promise((r) => setTimeout(r, 40));
    expect(loads()).toBe(1);
    await stream.return(undefined);
    await expect(pending).resolves.toMatchObject({ done: true });
  });
});
