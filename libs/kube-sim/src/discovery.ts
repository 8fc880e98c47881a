/** Discovery documents: enough for kubectl to map `networkpolicies` and `namespaces`. */

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update'];

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

export const coreV1Resources = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: VERBS, shortNames: ['ns'], storageVersionHash: 'Q3oi5N2YM8M=' },
  ],
};

const networkingGroup = {
  name: 'networking.k8s.io',
  versions: [{ groupVersion: 'networking.k8s.io/v1', version: 'v1' }],
  preferredVersion: { groupVersion: 'networking.k8s.io/v1', version: 'v1' },
};

export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [networkingGroup] };
}

export function networkingGroupDoc(): Record<string, unknown> {
  return { kind: 'APIGroup', apiVersion: 'v1', ...networkingGroup };
}

export const networkingV1Resources = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'networking.k8s.io/v1',
  resources: [
    { name: 'networkpolicies', singularName: 'networkpolicy', namespaced: true, kind: 'NetworkPolicy', verbs: VERBS, shortNames: ['netpol'], storageVersionHash: 'YpfwF18m1G8=' },
  ],
};
