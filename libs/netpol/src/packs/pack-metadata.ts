/** Metadata every built-in template renders (ownership label, pack label, description). */
import type { JsonValue } from '../template/template.types.js';
import { DESCRIPTION_ANNOTATION, MANAGED_BY_LABEL, MANAGED_BY_VALUE, PACK_LABEL, type PackName } from './pack.types.js';

export function packMetadata(pack: PackName, name: string, description: string): { [key: string]: JsonValue } {
  return {
    name,
    namespace: '${namespace}',
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [PACK_LABEL]: pack },
    annotations: { [DESCRIPTION_ANNOTATION]: description },
  };
}

/** The RFC 1918 private ranges and the RFC 6598 carrier-grade NAT range. */
export const PRIVATE_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

export const DNS_PORTS: JsonValue = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
  { protocol: 'UDP', port: 8053 },
  { protocol: 'TCP', port: 8053 },
];
