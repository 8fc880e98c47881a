/**
 * IPv4 address allocation inside a CIDR, as the API server's ClusterIP allocator and a node's
 * pod IPAM do it (sequential here instead of random, so fleets are reproducible).
 */

export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] as number) * 2 ** 24 + (parts[1] as number) * 2 ** 16 + (parts[2] as number) * 2 ** 8 + (parts[3] as number)) >>> 0;
}

export function intToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** `a.b.c.d/n` with a valid IPv4 network address (host bits zero), or undefined. */
export function parseIpv4Cidr(cidr: string): { base: number; size: number } | undefined {
  const [ip, bits] = cidr.split('/');
  const base = ipv4ToInt(ip ?? '');
  const n = Number(bits);
  if (base === undefined || !Number.isInteger(n) || n < 8 || n > 30 || bits !== String(n)) return undefined;
  const size = 2 ** (32 - n);
  if (base % size !== 0) return undefined;
  return { base, size };
}

export class Ipam {
  private readonly base: number;
  private readonly size: number;
  private next = 1;
  private readonly used = new Set<number>();

  constructor(readonly cidr: string) {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed) throw new Error(`not an IPv4 CIDR: ${cidr}`);
    this.base = parsed.base;
    this.size = parsed.size;
  }

  contains(ip: string): boolean {
    const n = ipv4ToInt(ip);
    return n !== undefined && n > this.base && n < this.base + this.size - 1;
  }

  isUsed(ip: string): boolean {
    const n = ipv4ToInt(ip);
    return n !== undefined && this.used.has(n - this.base);
  }

  /** Takes a specific address (the caller checked it is free and in range). */
  take(ip: string): void {
    const n = ipv4ToInt(ip);
    if (n !== undefined) this.used.add(n - this.base);
  }

  /** The next free address, or undefined when the range is full. */
  allocate(): string | undefined {
    for (let tries = 0; tries < this.size - 2; tries++) {
      const off = this.next;
      this.next = this.next + 1 >= this.size - 1 ? 1 : this.next + 1;
      if (!this.used.has(off)) {
        this.used.add(off);
        return intToIpv4(this.base + off);
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const n = ipv4ToInt(ip);
    if (n !== undefined) this.used.delete(n - this.base);
  }
}
