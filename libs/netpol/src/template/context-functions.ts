/**
 * The few pure helpers a template may call from json-e expressions. They only compute over
 * CIDR strings; a template cannot reach anything else.
 */
import { cidrIsStrictSubset, cidrsOverlap, parseCidr, type Cidr } from '../cidr/ip.js';

function cidrs(list: unknown): { text: string; cidr: Cidr }[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((text) => {
    const cidr = typeof text === 'string' ? parseCidr(text) : undefined;
    return cidr ? [{ text: text as string, cidr }] : [];
  });
}

export const templateFunctions = {
  /** Lists joined into one (json-e's `+` does not join lists). */
  concat(...lists: unknown[]): unknown[] {
    return lists.flatMap((list) => (Array.isArray(list) ? list : []));
  },
  /** The CIDRs of `list` that are strict subsets of `outer` (usable as ipBlock.except). */
  cidrsWithin(list: unknown, outer: unknown): string[] {
    const o = typeof outer === 'string' ? parseCidr(outer) : undefined;
    if (!o) return [];
    return cidrs(list).filter(({ cidr }) => cidrIsStrictSubset(cidr, o)).map(({ text }) => text);
  },
  /** True when `cidr` lies inside (or equals) one of `list`. */
  cidrCoveredBy(cidr: unknown, list: unknown): boolean {
    const c = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    if (!c) return false;
    return cidrs(list).some(({ cidr: outer }) => outer.prefix <= c.prefix && cidrsOverlap(outer, c));
  },
  /** The IPv4 CIDRs of a list. */
  ipv4(list: unknown): string[] {
    return cidrs(list).filter(({ cidr }) => cidr.family === 4).map(({ text }) => text);
  },
  /** The IPv6 CIDRs of a list. */
  ipv6(list: unknown): string[] {
    return cidrs(list).filter(({ cidr }) => cidr.family === 6).map(({ text }) => text);
  },
};
