import { describe, expect, it } from 'vitest';
import { KubeClientCache } from './kube-client-cache.js';

const conn = (token: string, server = 'https://10.0.0.1:6443') => ({ server, token });

describe('KubeClientCache', () => {
  it('reuses a client while the connection is unchanged and replaces it when credentials rotate', () => {
    const cache = new KubeClientCache();
    const a = cache.get('c1', conn('t1'));
    expect(cache.get('c1', conn('t1'))).toBe(a);
    const b = cache.get('c1', conn('t2'));
    expect(b).not.toBe(a);
    expect(cache.size).toBe(1);
    cache.closeAll();
    expect(cache.size).toBe(0);
  });

  it('closes the least recently used clients beyond maxClients', () => {
    const cache = new KubeClientCache({ maxClients: 2 });
    const one = cache.get('one', conn('t'));
    cache.get('two', conn('t'));
    cache.get('one', conn('t')); // touch: "two" is now the oldest
    cache.get('three', conn('t'));
    expect(cache.size).toBe(2);
    expect(cache.get('one', conn('t'))).toBe(one);
    cache.evict('one');
    expect(cache.size).toBe(1);
    cache.closeAll();
  });
});
