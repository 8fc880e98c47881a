import { describe, expect, it } from 'vitest';
import { KubeClientCache } from './kube-client-cache.js';

const conn = (token: string, server = 'https://10.0.0.1:6443') => ({ server, token });

describe('KubeClientCache', () => {
  it('finds a client by key and version; a new version replaces the old client', () => {
    const cache = new KubeClientCache();
    expect(cache.get('c1', 'v1')).toBeUndefined();
    const a = cache.open('c1', 'v1', conn('t1'));
    expect(cache.get('c1', 'v1')).toBe(a);
    expect(cache.get('c1', 'v2')).toBeUndefined();
    const b = cache.open('c1', 'v2', conn('t2'));
    expect(b).not.toBe(a);
    expect(cache.has('c1', 'v2')).toBe(true);
    expect(cache.has('c1', 'v1')).toBe(false);
    expect(cache.size).toBe(1);
    cache.closeAll();
    expect(cache.size).toBe(0);
  });

  it('closes the least recently used clients beyond maxClients', () => {
    const cache = new KubeClientCache({ maxClients: 2 });
    const one = cache.open('one', 'v', conn('t'));
    cache.open('two', 'v', conn('t'));
    cache.get('one', 'v'); // a use: "two" is now the oldest
    cache.open('three', 'v', conn('t'));
    expect(cache.size).toBe(2);
    expect(cache.has('two', 'v')).toBe(false);
    expect(cache.get('one', 'v')).toBe(one);
    cache.evict('one');
    expect(cache.size).toBe(1);
    cache.closeAll();
  });
});
