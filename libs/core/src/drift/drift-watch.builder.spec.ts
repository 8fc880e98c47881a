import { describe, expect, it } from 'vitest';
import { CLUSTER_LABEL } from '../desired-state/desired-state.builder.js';
import type { LiveObject } from './drift-compare.builder.js';
import { type KnownObject, lastWriterIsFleetgate, ownerOf, planLeases, relistChanges } from './drift-watch.builder.js';

const obj = (name: string, rv: string, extra: Partial<LiveObject['metadata']> = {}): LiveObject => ({ metadata: { name, namespace: 'ns', resourceVersion: rv, ...extra } });

describe('ownerOf', () => {
  it('is the cluster label on a shared server, else the server itself', () => {
    expect(ownerOf(obj('a', '1', { labels: { [CLUSTER_LABEL]: 'user-1' } }), 'seed-1')).toBe('user-1');
    expect(ownerOf(obj('a', '1'), 'seed-1')).toBe('seed-1');
  });
});

describe('lastWriterIsFleetgate', () => {
  const mf = (...e: Array<[string, string]>) => ({ managedFields: e.map(([manager, time]) => ({ manager, operation: 'Apply', time })) });
  it('only when fleetgate wrote strictly last', () => {
    expect(lastWriterIsFleetgate(obj('a', '1', mf(['fleetgate', '2026-01-01T00:00:05Z'])))).toBe(true);
    expect(lastWriterIsFleetgate(obj('a', '1', mf(['fleetgate', '2026-01-01T00:00:05Z'], ['kubectl-edit', '2026-01-01T00:00:04Z'])))).toBe(true);
    expect(lastWriterIsFleetgate(obj('a', '1', mf(['fleetgate', '2026-01-01T00:00:05Z'], ['kubectl-edit', '2026-01-01T00:00:06Z'])))).toBe(false);
    // same second: cannot tell, so not fleetgate's
    expect(lastWriterIsFleetgate(obj('a', '1', mf(['fleetgate', '2026-01-01T00:00:05Z'], ['kubectl-edit', '2026-01-01T00:00:05Z'])))).toBe(false);
    expect(lastWriterIsFleetgate(obj('a', '1', mf(['kubectl', '2026-01-01T00:00:05Z'])))).toBe(false);
    expect(lastWriterIsFleetgate(obj('a', '1'))).toBe(false);
  });
});

describe('relistChanges', () => {
  it('reports what was added, changed and removed while the watch was gone, and remembers the new set', () => {
    const known = new Map<string, KnownObject>([
      ['ns/same', { resourceVersion: '1', owner: 's' }],
      ['ns/changed', { resourceVersion: '2', owner: 's' }],
      ['ns/gone', { resourceVersion: '3', owner: 'u1' }],
    ]);
    const out = relistChanges(known, [obj('same', '1'), obj('changed', '9'), obj('new', '10', { labels: { [CLUSTER_LABEL]: 'u2' } })], 's');
    expect(out.map((c) => `${c.type} ${c.owner}`)).toEqual(['MODIFIED s', 'ADDED u2', 'DELETED u1']);
    expect([...known.entries()]).toEqual([
      ['ns/same', { resourceVersion: '1', owner: 's' }],
      ['ns/changed', { resourceVersion: '9', owner: 's' }],
      ['ns/new', { resourceVersion: '10', owner: 'u2' }],
    ]);
  });
});

describe('planLeases', () => {
  const all = Array.from({ length: 10 }, (_, i) => `c${i}`);
  it('takes a share of ceil(clusters / workers)', () => {
    expect(planLeases({ all, held: new Set(), liveWorkers: 3 })).toMatchObject({ share: 4, want: 4, release: [] });
    expect(planLeases({ all, held: new Set(), liveWorkers: 1 }).candidates).toEqual(all);
  });
  it('rotates the candidates by an offset, and never offers what it holds', () => {
    const p = planLeases({ all, held: new Set(['c0']), liveWorkers: 2 }, 3);
    expect(p.want).toBe(4);
    expect(p.candidates[0]).toBe('c4');
    expect(p.candidates).not.toContain('c0');
    expect(p.candidates).toHaveLength(9);
  });
  it('releases the surplus when another worker joined', () => {
    const p = planLeases({ all, held: new Set(all), liveWorkers: 2 });
    expect(p).toMatchObject({ share: 5, want: 0, release: ['c5', 'c6', 'c7', 'c8', 'c9'] });
  });
});
