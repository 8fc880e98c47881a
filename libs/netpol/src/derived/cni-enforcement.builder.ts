/**
 * Does a cluster enforce NetworkPolicies at all? Judged from its kube-system DaemonSets (and pods,
 * when a DaemonSet list is not available) the way an operator would: a policy-capable CNI plugin
 * (calico-node, cilium, antrea, kube-router, weave-net, canal) enforces; flannel alone does not;
 * anything else is unknown. Also: which NetworkPolicy fields a server version drops or gates.
 */
import type { NetworkPolicy } from '../types/network-policy.js';

export type NetworkPolicyEnforcement = 'enforced' | 'not_enforced' | 'unknown';

export interface WorkloadFacts {
  name: string;
  labels?: Readonly<Record<string, string>>;
  images?: readonly string[];
}

export interface CniFacts {
  /** kube-system DaemonSets */
  daemonSets: readonly WorkloadFacts[];
  /** kube-system pods (a fallback when DaemonSets say nothing) */
  pods?: readonly WorkloadFacts[];
  /** the server's gitVersion, e.g. `v1.30.2` */
  serverVersion?: string | null;
}

export interface CniVerdict {
  networkPolicyEnforcement: NetworkPolicyEnforcement;
  /** the plugin found (`calico`, `cilium`, …, `flannel`), or null */
  cni: string | null;
  /** the plugin's version, from its image tag, or null */
  cniVersion: string | null;
  /** one sentence saying why */
  reason: string;
}

interface CniSignature {
  cni: string;
  enforces: boolean;
  names: RegExp;
}

/** In order of preference: canal includes flannel, so it must win over it. */
const SIGNATURES: readonly CniSignature[] = [
  { cni: 'calico', enforces: true, names: /^calico-node(-|$)/ },
  { cni: 'cilium', enforces: true, names: /^cilium(-agent)?(-|$)/ },
  { cni: 'antrea', enforces: true, names: /^antrea-agent(-|$)/ },
  { cni: 'kube-router', enforces: true, names: /^kube-router(-|$)/ },
  { cni: 'weave', enforces: true, names: /^weave-net(-|$)/ },
  { cni: 'canal', enforces: true, names: /^canal(-|$)/ },
  { cni: 'flannel', enforces: false, names: /^(kube-)?flannel(-ds)?(-|$)/ },
];

function versionOf(images: readonly string[] | undefined): string | null {
  for (const image of images ?? []) {
    const noDigest = image.split('@')[0]!;
    const slash = noDigest.lastIndexOf('/');
    const colon = noDigest.lastIndexOf(':');
    if (colon > slash) return noDigest.slice(colon + 1);
  }
  return null;
}

function find(workloads: readonly WorkloadFacts[]): Array<{ sig: CniSignature; w: WorkloadFacts }> {
  const found: Array<{ sig: CniSignature; w: WorkloadFacts }> = [];
  for (const sig of SIGNATURES) {
    const w = workloads.find((x) => sig.names.test(x.name) || sig.names.test(x.labels?.['k8s-app'] ?? '') || sig.names.test(x.labels?.['app'] ?? ''));
    if (w) found.push({ sig, w });
  }
  return found;
}

/** The enforcement verdict for one cluster. */
export function detectNetworkPolicyEnforcement(facts: CniFacts): CniVerdict {
  let found = find(facts.daemonSets);
  if (found.length === 0 && facts.pods) found = find(facts.pods);
  const enforcing = found.find((f) => f.sig.enforces);
  if (enforcing) {
    return {
      networkPolicyEnforcement: 'enforced',
      cni: enforcing.sig.cni,
      cniVersion: versionOf(enforcing.w.images),
      reason: `${enforcing.sig.cni} (${enforcing.w.name} in kube-system) enforces NetworkPolicies`,
    };
  }
  const flannel = found.find((f) => f.sig.cni === 'flannel');
  if (flannel) {
    return {
      networkPolicyEnforcement: 'not_enforced',
      cni: 'flannel',
      cniVersion: versionOf(flannel.w.images),
      reason: `flannel (${flannel.w.name} in kube-system) alone does not enforce NetworkPolicies`,
    };
  }
  return { networkPolicyEnforcement: 'unknown', cni: null, cniVersion: null, reason: 'no known CNI plugin found among the kube-system DaemonSets and pods' };
}

/** `v1.24.3-gke.100` → [1, 24]; null when unreadable. */
export function parseServerVersion(gitVersion: string | null | undefined): [number, number] | null {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export interface VersionFieldIssue {
  policy: string;
  field: string;
  message: string;
}

/**
 * NetworkPolicy fields a server of this version drops or gates: `endPort` is dropped before 1.21
 * (no field), gated by NetworkPolicyEndPort (alpha, off by default) in 1.21, beta in 1.22–1.24,
 * GA from 1.25. Anything before 1.25 is flagged, so a policy never silently opens a single port.
 */
export function versionFieldIssues(policies: readonly NetworkPolicy[], gitVersion: string | null | undefined): VersionFieldIssue[] {
  const v = parseServerVersion(gitVersion);
  if (!v) return [];
  const [major, minor] = v;
  if (major > 1 || minor >= 25) return [];
  const issues: VersionFieldIssue[] = [];
  for (const p of policies) {
    const name = `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
    const check = (rules: ReadonlyArray<{ ports?: ReadonlyArray<{ endPort?: number }> }> | undefined, dir: 'ingress' | 'egress') =>
      (rules ?? []).forEach((r, i) =>
        (r.ports ?? []).forEach((port, j) => {
          if (port.endPort === undefined) return;
          const what = minor < 21 ? 'drops the field (it does not exist before 1.21)' : minor === 21 ? 'gates it behind the alpha NetworkPolicyEndPort feature gate (off by default)' : 'serves it only as beta (NetworkPolicyEndPort gate; GA in 1.25)';
          issues.push({ policy: name, field: `spec.${dir}[${i}].ports[${j}].endPort`, message: `Kubernetes ${gitVersion} ${what}: the port range would not be enforced as written` });
        }),
      );
    check(p.spec.ingress, 'ingress');
    check(p.spec.egress, 'egress');
  }
  return issues;
}
