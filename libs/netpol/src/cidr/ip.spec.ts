import { describe, expect, it } from 'vitest';
import { cidrContains, cidrIsStrictSubset, formatCidr, formatIP, isValidCidr, parseCidr, parseIP } from './ip.js';

describe('parseCidr (ParseCIDRSloppy)', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['10.0.0.1/8', true],
    ['0.0.0.0/0', true],
    ['010.000.001.000/24', true],
    ['10.0.0.0/32', true],
    ['10.0.0.0/33', false],
    ['10.0.0.0', false],
    ['10.0.0/8', false],
    ['256.0.0.0/8', false],
    ['10.0.0.0/', false],
    ['10.0.0.0/-1', false],
    ['10.0.0.0/+8', false],
    ['10.0.0.0/08', true],
    ['::/0', true],
    ['2001:db8::/64', true],
    ['2001:db8::/129', false],
    ['::ffff:10.0.0.0/104', true],
    ['2001:db8:::/64', false],
    ['1:2:3:4:5:6:7:8/128', true],
    ['1:2:3:4:5:6:7:8:9/128', false],
    ['1::2::3/64', false],
    ['fe80::1%eth0/64', false],
    [' 10.0.0.0/8', false],
  ])('%j valid=%s', (text, valid) => {
    expect(isValidCidr(text)).toBe(valid);
  });

  it('reads leading-zero IPv4 octets as decimal', () => {
    expect(formatCidr(parseCidr('010.001.000.000/16')!)).toBe('10.1.0.0/16');
  });

  it('masks host bits for the network address', () => {
    expect(formatCidr(parseCidr('10.1.2.3/8')!)).toBe('10.0.0.0/8');
    expect(formatCidr(parseCidr('2001:db8::1/32')!)).toBe('2001:db8::/32');
  });

  it('checks containment and strict subsets within one family', () => {
    const outer = parseCidr('172.17.0.0/16')!;
    expect(cidrContains(outer, parseIP('172.17.1.5')!)).toBe(true);
    expect(cidrContains(outer, parseIP('172.18.0.1')!)).toBe(false);
    expect(cidrContains(outer, parseIP('::1')!)).toBe(false);
    expect(cidrIsStrictSubset(parseCidr('172.17.1.0/24')!, outer)).toBe(true);
    expect(cidrIsStrictSubset(parseCidr('172.17.0.0/16')!, outer)).toBe(false);
    expect(cidrIsStrictSubset(parseCidr('::/120')!, outer)).toBe(false);
  });

  it('formats IPv6 in the short form', () => {
    expect(formatIP(parseIP('2001:0db8:0000:0000:0000:0000:0000:0001')!)).toBe('2001:db8::1');
    expect(formatIP(parseIP('::')!)).toBe('::');
  });
});
