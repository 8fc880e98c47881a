import { stringify } from 'yaml';

export interface KubeconfigEntry {
  name: string;
  server: string;
  caPem: string;
  token: string;
}

/** A kubeconfig with one context per entry, each named after its cluster; the first is current. */
export function renderKubeconfig(entries: readonly KubeconfigEntry[], current?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((e) => ({ name: e.name, cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') } })),
    users: entries.map((e) => ({ name: e.name, user: { token: e.token } })),
    contexts: entries.map((e) => ({ name: e.name, context: { cluster: e.name, user: e.name } })),
    'current-context': current ?? entries[0]?.name ?? '',
    preferences: {},
  });
}
