import { describe, expect, it } from 'vitest';
import { fleetFromJson, generateFleet } from './fleet.js';

describe('generated fleet', () => {
  it('looks like KKP/Gardener: seeds host cluster-<user> namespaces, users have labelled app namespaces', () => {
    const fleet = generateFleet({ seeds: 2, usersPerSeed: 3, policiesPerCluster: 2 });
    expect(fleet).toHaveLength(8);
    const seed = fleet.find((c) => c.name === 'seed-01');
    const users = fleet.filter((c) => c.meta?.seed === 'seed-01');
    expect(users).toHaveLength(3);
    expect(seed?.meta?.role).toBe('seed');
    const seedNs = seed?.namespaces?.map((n) => n.name) ?? [];
    expect(seedNs).toEqual(expect.arrayContaining(['garden', 'istio-system', ...users.map((u) => `cluster-${u.name}`)]));
    for (const u of users) {
      expect(u.meta?.controlPlaneNamespace).toBe(`cluster-${u.name}`);
      expect(u.labels).toHaveProperty('env');
      expect(u.labels).toHaveProperty('region', seed?.labels?.region);
      expect(u.namespaces?.every((n) => Object.keys(n.labels ?? {}).length > 0)).toBe(true);
      expect(u.policies).toHaveLength(2);
    }
    expect(new Set(fleet.map((c) => c.labels?.env)).size).toBeGreaterThan(1);
  });

  it('reads fleet files', () => {
    expect(fleetFromJson({ seeds: 1, usersPerSeed: 2 })).toHaveLength(3);
    expect(fleetFromJson({ clusters: [{ name: 'x' }] })).toEqual([{ name: 'x' }]);
    expect(() => fleetFromJson({ clusters: [{}] })).toThrow(/name/);
  });
});
