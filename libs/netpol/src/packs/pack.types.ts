/** Built-in policy packs: templates that ship with fleetgate and reproduce the seed documents. */
import type { LabelSelector } from '../labels/label-selector.js';
import type { PolicyTemplate, TemplateParameter } from '../template/template.types.js';

/** Where a pack's policies land. */
export type Placement =
  /** The user cluster's control-plane namespace on its seed (KKP `cluster-<id>`, Gardener `shoot--p--n`). */
  | { kind: 'controlPlaneNamespace' }
  /** Namespaces of the target cluster itself, chosen by name, glob (`shoot-*`) or namespace label selector. */
  | { kind: 'namespaces'; names?: string[]; globs?: string[]; selectors?: LabelSelector[] };

export type PackName = 'kkp-apiserver' | 'gardener-general' | 'gardener-shoot-system' | 'kubernetes-defaults';

export interface PolicyPack {
  name: PackName;
  description: string;
  /** The feature gate that governs the pack; null when none does. */
  gate: string | null;
  /** Which clusters the pack is meant for. */
  targetRole: 'seed' | 'user' | 'any';
  placement: Placement;
  /** Parameters shared by every template of the pack. */
  parameters: TemplateParameter[];
  templates: PolicyTemplate[];
}

/** Label every fleetgate-managed object carries. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'fleetgate';
/** Label naming the built-in pack an object came from. */
export const PACK_LABEL = 'fleetgate.io/pack';
/** Annotation saying, in words, what the object is for. */
export const DESCRIPTION_ANNOTATION = 'fleetgate.io/description';
