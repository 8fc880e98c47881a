import { describe, expect, it } from 'vitest';
import { diffJson } from './version-diff.builder.js';

describe('diffJson', () => {
  it('reports added, removed and changed leaves by path', () => {
    const from = { spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80 }] }] }, old: true };
    const to = { spec: { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ ports: [{ port: 443 }] }] } };
    expect(diffJson(from, to)).toEqual([
      { path: 'old', op: 'remove', from: true },
      { path: 'spec.ingress[0].ports[0].port', op: 'change', from: 80, to: 443 },
      { path: 'spec.podSelector.matchLabels', op: 'add', to: { app: 'a' } },
      { path: 'spec.policyTypes[1]', op: 'add', to: 'Egress' },
    ]);
  });

  it('is empty for equal values and reports a type change at its path', () => {
    expect(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: 'a', op: 'change', from: [1], to: { 0: 1 } }]);
    expect(diffJson(1, 2)).toEqual([{ path: '(root)', op: 'change', from: 1, to: 2 }]);
  });
});
