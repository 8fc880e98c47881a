import type { BindingPlacement } from '../desired-state/desired-state.builder.js';

export type DriftMode = 'enforce' | 'inform';

export interface PolicyBinding {
  id: string;
  name: string;
  description: string;
  templateId: string;
  template: string;
  templateVersionId: string;
  version: number;
  /** Kubernetes label-selector syntax over cluster labels ("" selects every cluster) */
  clusterSelector: string;
  clusterRole: 'seed' | 'user' | null;
  placement: BindingPlacement;
  gate: string | null;
  parameters: Record<string, unknown>;
  driftMode: DriftMode;
  builtIn: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** The clusters whose desired state a binding change alters (count and the first page of names). */
export interface AffectedClusters {
  count: number;
  items: { id: string; name: string }[];
}

export interface BindingChange {
  binding: PolicyBinding;
  affectedClusters: AffectedClusters;
}
