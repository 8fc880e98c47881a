/** Choosing the namespaces a placement covers. */
import { selectorFromLabelSelector } from '../labels/label-selector.js';
import { matches } from '../labels/requirement.js';
import type { Placement } from './pack.types.js';

export interface NamespaceInfo {
  name: string;
  labels?: Record<string, string>;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Whether a namespace name matches a glob (`*` any run of characters, `?` one character). */
export function matchesGlob(glob: string, name: string): boolean {
  return globToRegExp(glob).test(name);
}

/** Whether a namespace of the target cluster is covered by a `namespaces` placement. */
export function placementCoversNamespace(placement: Placement, namespace: NamespaceInfo): boolean {
  if (placement.kind !== 'namespaces') return false;
  if (placement.names?.includes(namespace.name)) return true;
  if (placement.globs?.some((glob) => matchesGlob(glob, namespace.name))) return true;
  // Namespaces carry their name as the label kubernetes.io/metadata.name.
  const labels = { ...(namespace.labels ?? {}), 'kubernetes.io/metadata.name': namespace.name };
  return placement.selectors?.some((sel) => matches(selectorFromLabelSelector(sel), labels)) ?? false;
}

/**
 * The namespaces a placement resolves to: for `controlPlaneNamespace`, the user cluster's
 * control-plane namespace (on its seed); otherwise the covered namespaces among `namespaces`.
 */
export function resolvePlacement(
  placement: Placement,
  target: { namespaces: readonly NamespaceInfo[]; controlPlaneNamespace?: string | null },
): string[] {
  if (placement.kind === 'controlPlaneNamespace') return target.controlPlaneNamespace ? [target.controlPlaneNamespace] : [];
  return target.namespaces.filter((ns) => placementCoversNamespace(placement, ns)).map((ns) => ns.name);
}
