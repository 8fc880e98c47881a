import type { AddressInfo } from 'node:net';

/**
 * The URL the banner prints, from what the server really bound: a wildcard address (0.0.0.0,
 * ::) is reachable as localhost here and on every interface; IPv6 literals get brackets.
 */
export function listenUrl(address: AddressInfo | string | null): { url: string; note: string } {
  if (!address || typeof address === 'string') return { url: String(address ?? 'unknown'), note: '' };
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? 'localhost' : address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}`, note: wildcard ? `bound to ${address.address} (every interface)` : `bound to ${address.address} only (HOST=0.0.0.0 to listen on every interface)` };
}
