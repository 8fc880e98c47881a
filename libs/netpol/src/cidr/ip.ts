/**
 * IP and CIDR parsing with the rules of k8s.io/utils/net ParseIPSloppy / ParseCIDRSloppy (a
 * copy of Go 1.16's net package): IPv4 octets may carry leading zeros and are read as decimal,
 * IPv6 may embed a dotted IPv4 tail, the host bits of a CIDR need not be zero.
 */
export type IPFamily = 4 | 6;

export interface IPAddress {
  family: IPFamily;
  /** The address as an unsigned integer (32 or 128 bits). */
  value: bigint;
}

export interface Cidr {
  family: IPFamily;
  /** The network address (host bits cleared). */
  network: bigint;
  prefix: number;
  /** The address as written (host bits kept), like Go's ParseCIDR first result. */
  address: bigint;
}

const BIG = 0xffffff;

/** Decimal digits at the start of `s`: [value, digits consumed, ok]. */
function dtoi(s: string): [number, number, boolean] {
  let n = 0;
  let i = 0;
  for (; i < s.length && s[i]! >= '0' && s[i]! <= '9'; i++) {
    n = n * 10 + (s.charCodeAt(i) - 48);
    if (n >= BIG) return [BIG, i, false];
  }
  return i === 0 ? [0, 0, false] : [n, i, true];
}

/** Hexadecimal digits at the start of `s`. */
function xtoi(s: string): [number, number, boolean] {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const d = parseInt(s[i] ?? '', 16);
    if (Number.isNaN(d)) break;
    n = n * 16 + d;
    if (n >= BIG) return [0, i, false];
  }
  return i === 0 ? [0, i, false] : [n, i, true];
}

function parseIPv4Bytes(input: string): number[] | undefined {
  let s = input;
  const bytes: number[] = [];
  for (let i = 0; i < 4; i++) {
    if (s.length === 0) return undefined;
    if (i > 0) {
      if (s[0] !== '.') return undefined;
      s = s.slice(1);
    }
    const [n, c, ok] = dtoi(s);
    if (!ok || n > 0xff) return undefined;
    s = s.slice(c);
    bytes.push(n);
  }
  return s.length === 0 ? bytes : undefined;
}

function parseIPv6Bytes(input: string): number[] | undefined {
  let s = input;
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  let i = 0;
  while (i < 16) {
    const [n, c, ok] = xtoi(s);
    if (!ok || n > 0xffff) return undefined;
    if (c < s.length && s[c] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const ip4 = parseIPv4Bytes(s);
      if (!ip4) return undefined;
      ip.splice(i, 4, ...ip4);
      s = '';
      i += 4;
      break;
    }
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(c);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j] ?? 0;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return ip;
}

function toBigInt(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

/** ParseIPSloppy; undefined when not an IP. */
export function parseIP(text: string): IPAddress | undefined {
  const v4 = parseIPv4Bytes(text);
  if (v4) return { family: 4, value: toBigInt(v4) };
  const v6 = parseIPv6Bytes(text);
  if (v6) return { family: 6, value: toBigInt(v6) };
  return undefined;
}

export function isValidIP(text: string): boolean {
  return parseIP(text) !== undefined;
}

function bits(family: IPFamily): number {
  return family === 4 ? 32 : 128;
}

function maskOf(family: IPFamily, prefix: number): bigint {
  const total = BigInt(bits(family));
  const all = (1n << total) - 1n;
  return prefix === 0 ? 0n : (all >> (total - BigInt(prefix))) << (total - BigInt(prefix));
}

/** ParseCIDRSloppy; undefined when not a CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash);
  const maskText = text.slice(slash + 1);
  const v4 = parseIPv4Bytes(addr);
  const bytes = v4 ?? parseIPv6Bytes(addr);
  if (!bytes) return undefined;
  const family: IPFamily = v4 ? 4 : 6;
  const [n, i, ok] = dtoi(maskText);
  if (!ok || i !== maskText.length || n < 0 || n > bits(family)) return undefined;
  const address = toBigInt(bytes);
  return { family, prefix: n, address, network: address & maskOf(family, n) };
}

export function isValidCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

/** IPNet.Contains for an address of the same family. */
export function cidrContains(cidr: Cidr, ip: IPAddress): boolean {
  if (cidr.family !== ip.family) return false;
  return (ip.value & maskOf(cidr.family, cidr.prefix)) === cidr.network;
}

/** `inner` is a strict subset of `outer` (what ipBlock.except requires). */
export function cidrIsStrictSubset(inner: Cidr, outer: Cidr): boolean {
  return cidrContains(outer, { family: inner.family, value: inner.network }) && outer.prefix < inner.prefix;
}

/** Whether two CIDRs share any address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = maskOf(a.family, prefix);
  return (a.network & mask) === (b.network & mask);
}

/** The canonical text of an address (IPv4 dotted, IPv6 RFC 5952 short form). */
export function formatIP(ip: IPAddress): string {
  if (ip.family === 4) {
    const v = ip.value;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** `network/prefix` in canonical text. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIP({ family: cidr.family, value: cidr.network })}/${cidr.prefix}`;
}
