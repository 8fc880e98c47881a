export type ClusterRole = 'seed' | 'user';
export type HealthStatus = 'unknown' | 'healthy' | 'unreachable' | 'timeout' | 'unauthorized' | 'forbidden' | 'tls_error' | 'error';

export interface ClusterHealth {
  status: HealthStatus;
  kubernetesVersion: string | null;
  latencyMs: number | null;
  lastCheckedAt: Date | null;
  lastError: string | null;
}

export interface ClusterNetworks {
  pods: string | null;
  services: string | null;
  nodes: string | null;
}

/** A cluster as the domain sees it: never carries credentials, only their fingerprint. */
export interface Cluster {
  id: string;
  name: string;
  role: ClusterRole;
  seedId: string | null;
  /** name of the seed (user clusters) */
  seed: string | null;
  server: string;
  credentialFingerprint: string;
  insecureSkipTLSVerify: boolean;
  labels: Record<string, string>;
  networks: ClusterNetworks;
  blockedCIDRs: string[];
  controlPlaneNamespace: string | null;
  health: ClusterHealth;
  /** whether the cluster's CNI plugin enforces NetworkPolicies (from its last inventory scan) */
  networkPolicyEnforcement: { status: 'enforced' | 'not_enforced' | 'unknown'; cni: string | null; cniVersion: string | null };
  createdAt: Date;
  updatedAt: Date;
}

/** What is sealed: exactly what the caller gave. */
export type StoredCredentials =
  | { kind: 'kubeconfig'; kubeconfig: string }
  | { kind: 'token'; server: string; caData?: string; token: string; insecureSkipTLSVerify: boolean };
