import { describe, expect, it } from 'vitest';
import { listenUrl } from './listen-address.mapper.js';

describe('listenUrl', () => {
  it('prints the address really bound', () => {
    expect(listenUrl({ address: '127.0.0.1', family: 'IPv4', port: 3001 })).toEqual({ url: 'http://127.0.0.1:3001', note: 'bound to 127.0.0.1 only (HOST=0.0.0.0 to listen on every interface)' });
    expect(listenUrl({ address: '::1', family: 'IPv6', port: 3000 }).url).toBe('http://[::1]:3000');
  });
  it('a wildcard bind is reachable as localhost and says so', () => {
    expect(listenUrl({ address: '0.0.0.0', family: 'IPv4', port: 3000 })).toEqual({ url: 'http://localhost:3000', note: 'bound to 0.0.0.0 (every interface)' });
  });
});
