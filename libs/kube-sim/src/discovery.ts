/** Discovery documents for every kind the simulator serves. */
import { ALL_KINDS } from './kinds.js';
import type { ResourceKind } from './resources.js';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export function versionInfo(gitVersion: string): Record<string, string> {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '32',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

const resourceEntry = (k: ResourceKind) => ({
  name: k.ref.resource,
  singularName: k.singular,
  namespaced: k.namespaced,
  kind: k.kind,
  verbs: VERBS,
  ...(k.shortNames.length ? { shortNames: [...k.shortNames] } : {}),
  ...(CATEGORIES.has(k.kind) ? { categories: ['all'] } : {}),
});

const CATEGORIES = new Set(['Pod', 'Service', 'DaemonSet']);

/** `/api/v1`, `/apis/<group>/<version>`: the resources served in that group version. */
export function resourceList(groupVersion: string): Record<string, unknown> | undefined {
  const kinds = ALL_KINDS.filter((k) => k.apiVersion === groupVersion);
  if (!kinds.length) return undefined;
  return { kind: 'APIResourceList', ...(groupVersion.includes('/') ? { apiVersion: 'v1' } : {}), groupVersion, resources: kinds.map(resourceEntry) };
}

const groups = (): string[] => [...new Set(ALL_KINDS.map((k) => k.ref.group).filter((g) => g !== ''))];

function groupDoc(name: string): Record<string, unknown> {
  const gv = { groupVersion: `${name}/v1`, version: 'v1' };
  return { name, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().map(groupDoc) };
}

/** `/apis/<group>`, or undefined for a group not served. */
export function apiGroup(name: string): Record<string, unknown> | undefined {
  return groups().includes(name) ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(name) } : undefined;
}
