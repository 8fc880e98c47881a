/**
 * The desired-state builder (CONVENTIONS rule 4): `(facts) => desired objects`, pure and
 * deterministic. Given one cluster's facts (its labels, networks, seed, effective gate values) and
 * every binding, it renders the NetworkPolicies the cluster should hold, where each one lands
 * (which API server, which namespace or namespace rule), its hash and its origin. Name clashes
 * between objects on the same target are reported and left out, never merged.
 */
import {
  DESCRIPTION_ANNOTATION,
  type LabelSelector,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type NamespaceInfo,
  type NetworkPolicy,
  type Requirement,
  type TemplateContext,
  type TemplateParameter,
  canonicalJson,
  hash,
  matches,
  matchesGlob,
  placementCoversNamespace,
  renderTemplate,
} from '@fleetgate/netpol';

/** Label naming the binding an object came from. */
export const BINDING_LABEL = 'fleetgate.io/binding';
/** Label naming the policy template an object was rendered from. */
export const TEMPLATE_LABEL = 'fleetgate.io/template';
/** On a seed: the user cluster a control-plane placement belongs to (pruning is per user cluster). */
export const CLUSTER_LABEL = 'fleetgate.io/cluster';
/** Rule entries are rendered with this namespace, then shown without one. */
export const RULE_PLACEHOLDER_NAMESPACE = 'fleetgate-namespace-rule';

export type BindingPlacement =
  | { kind: 'controlPlaneNamespace' }
  | { kind: 'namespaces'; names?: string[]; globs?: string[]; selectors?: LabelSelector[] };

/** Globs and namespace label selectors, resolved against the namespaces at apply time. */
export interface NamespaceRule {
  globs: string[];
  selectors: LabelSelector[];
}

export interface CidrFacts {
  pods: string | null;
  services: string | null;
  nodes: string | null;
}

export interface ClusterFacts {
  id: string;
  name: string;
  role: 'seed' | 'user';
  labels: Record<string, string>;
  networks: CidrFacts;
  blockedCIDRs: string[];
  controlPlaneNamespace: string | null;
  /** the seed of a user cluster */
  seed: { id: string; name: string; networks: CidrFacts; blockedCIDRs: string[] } | null;
  /** effective gate values (explicit, seed template or default) */
  gates: Readonly<Record<string, boolean>>;
}

export interface BindingFacts {
  id: string;
  name: string;
  template: { id: string; name: string; description: string };
  version: { id: string; version: number; body: unknown; parameters: TemplateParameter[] };
  /** parsed cluster label selector (empty: every cluster) */
  clusterSelector: readonly Requirement[];
  clusterRole: 'seed' | 'user' | null;
  placement: BindingPlacement;
  gate: string | null;
  parameters: Record<string, unknown>;
  driftMode: 'enforce' | 'inform';
}

export interface DesiredTarget {
  /** name of the cluster whose API server holds the object */
  cluster: string;
  namespace: string | null;
  namespaceRule: NamespaceRule | null;
}

export interface PolicyOrigin {
  binding: string;
  bindingId: string;
  template: string;
  templateId: string;
  version: number;
  templateVersionId: string;
  gate: string | null;
}

export interface DesiredPolicy {
  /** `<target cluster>/<namespace | rule:…>/<name>`: the identity plans and assigned state compare on */
  key: string;
  target: DesiredTarget;
  name: string;
  policy: NetworkPolicy;
  hash: string;
  origin: PolicyOrigin;
  driftMode: 'enforce' | 'inform';
}

export interface NameConflict {
  key: string;
  target: DesiredTarget;
  name: string;
  bindings: string[];
}

export interface BindingRenderError {
  binding: string;
  template: string;
  version: number;
  field: string;
  message: string;
}

export interface DesiredState {
  cluster: string;
  policies: DesiredPolicy[];
  conflicts: NameConflict[];
  errors: BindingRenderError[];
}

export interface BuildOptions {
  /**
   * The namespaces of the API servers, by cluster name (the applier knows them). When given, globs
   * and selectors are resolved into concrete namespaces; otherwise they stay rules.
   */
  namespaces?: Readonly<Record<string, readonly NamespaceInfo[]>>;
}

/** Whether a binding selects a cluster: role, label selector and (when it has one) its gate. */
export function bindingSelects(binding: BindingFacts, cluster: ClusterFacts): boolean {
  if (binding.clusterRole !== null && binding.clusterRole !== cluster.role) return false;
  if (!matches(binding.clusterSelector, cluster.labels)) return false;
  if (binding.gate !== null && cluster.gates[binding.gate] !== true) return false;
  return true;
}

const list = (cidr: string | null): string[] => (cidr ? [cidr] : []);
const networksOf = (n: CidrFacts) => ({ pods: list(n.pods), services: list(n.services), nodes: list(n.nodes) });

/** The template context for a cluster: a seed is its own seed (netpol's convention). */
export function templateContext(cluster: ClusterFacts, namespace: string, params: Record<string, unknown>): TemplateContext {
  const seed = cluster.role === 'seed' ? { name: cluster.name, networks: cluster.networks, blockedCIDRs: cluster.blockedCIDRs } : cluster.seed;
  return {
    cluster: { name: cluster.name, labels: { ...cluster.labels }, networks: networksOf(cluster.networks), controlPlaneNamespace: cluster.controlPlaneNamespace },
    seed: seed ? { name: seed.name, networks: networksOf(seed.networks), blockedCIDRs: [...seed.blockedCIDRs] } : null,
    namespace,
    params,
  };
}

export function ruleKey(rule: NamespaceRule): string {
  return `rule:${canonicalJson(rule)}`;
}

export function desiredKey(target: DesiredTarget, name: string): string {
  return `${target.cluster}/${target.namespace ?? (target.namespaceRule ? ruleKey(target.namespaceRule) : '')}/${name}`;
}

interface Slot {
  target: DesiredTarget;
  /** the namespace the template is rendered for */
  renderNamespace: string;
}

function slotsOf(binding: BindingFacts, cluster: ClusterFacts, options: BuildOptions): Slot[] {
  const placement = binding.placement;
  if (placement.kind === 'controlPlaneNamespace') {
    if (cluster.role !== 'user' || !cluster.seed || !cluster.controlPlaneNamespace) return [];
    const ns = cluster.controlPlaneNamespace;
    return [{ target: { cluster: cluster.seed.name, namespace: ns, namespaceRule: null }, renderNamespace: ns }];
  }
  const names = [...new Set(placement.names ?? [])].sort();
  const rule: NamespaceRule = { globs: [...(placement.globs ?? [])].sort(), selectors: placement.selectors ?? [] };
  const hasRule = rule.globs.length > 0 || rule.selectors.length > 0;
  const known = options.namespaces?.[cluster.name];
  if (known) {
    const covered = known
      .filter((ns) => placementCoversNamespace({ kind: 'namespaces', names, globs: rule.globs, selectors: rule.selectors }, ns))
      .map((ns) => ns.name)
      .sort();
    return covered.map((ns) => ({ target: { cluster: cluster.name, namespace: ns, namespaceRule: null }, renderNamespace: ns }));
  }
  const slots: Slot[] = names.map((ns) => ({ target: { cluster: cluster.name, namespace: ns, namespaceRule: null }, renderNamespace: ns }));
  if (hasRule) slots.push({ target: { cluster: cluster.name, namespace: null, namespaceRule: rule }, renderNamespace: RULE_PLACEHOLDER_NAMESPACE });
  return slots;
}

/** Adds the ownership labels and the description annotation; a rule entry carries no namespace. */
function stamp(policy: NetworkPolicy, binding: BindingFacts, cluster: ClusterFacts, target: DesiredTarget): NetworkPolicy {
  const metadata = { ...(policy.metadata ?? {}) };
  const labels: Record<string, string> = {
    ...(metadata.labels ?? {}),
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [BINDING_LABEL]: binding.name,
    [TEMPLATE_LABEL]: binding.template.name,
  };
  if (target.cluster !== cluster.name) labels[CLUSTER_LABEL] = cluster.name;
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  annotations[DESCRIPTION_ANNOTATION] ??= binding.template.description || `Rendered by fleetgate from template ${binding.template.name}`;
  metadata.labels = labels;
  metadata.annotations = annotations;
  if (target.namespace === null) delete metadata.namespace;
  else metadata.namespace = target.namespace;
  return { ...policy, metadata };
}

/** Whether a json-e template holds no expression (no `$` operator key, no `${…}` interpolation). */
function isConstantTemplate(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('${');
  if (Array.isArray(value)) return value.every(isConstantTemplate);
  if (value && typeof value === 'object') return Object.entries(value).every(([k, v]) => !k.startsWith('$') && isConstantTemplate(v));
  return true;
}

type Rendered = ReturnType<typeof renderTemplate>;
/** Per template body: whether it is constant, and its renderings by namespace and parameters. */
const renderings = new WeakMap<object, { constant: boolean; byInput: Map<string, Rendered> }>();

/**
 * `renderTemplate`, rendered once per namespace and parameter values when the template holds no
 * expression (its output then does not depend on the cluster; rendering and validating it again
 * for every cluster of a rollout is the same work). Each caller gets its own copy.
 */
function renderFor(binding: BindingFacts, cluster: ClusterFacts, namespace: string): Rendered {
  const render = () =>
    renderTemplate(
      { name: binding.template.name, description: binding.template.description, policy: binding.version.body as never },
      templateContext(cluster, namespace, binding.parameters),
      binding.version.parameters,
    );
  const body = binding.version.body;
  if (!body || typeof body !== 'object') return render();
  let memo = renderings.get(body);
  if (!memo) renderings.set(body, (memo = { constant: isConstantTemplate(body), byInput: new Map() }));
  if (!memo.constant) return render();
  const key = `${binding.template.name}\0${namespace}\0${canonicalJson(binding.parameters)}\0${canonicalJson(binding.version.parameters)}`;
  let hit = memo.byInput.get(key);
  if (!hit) memo.byInput.set(key, (hit = render()));
  return structuredClone(hit);
}

/** Renders every selecting binding for one cluster (bindings in name order, so output is stable). */
export function buildDesiredState(cluster: ClusterFacts, bindings: readonly BindingFacts[], options: BuildOptions = {}): DesiredState {
  const entries: DesiredPolicy[] = [];
  const errors: BindingRenderError[] = [];
  const ordered = [...bindings].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const binding of ordered) {
    if (!bindingSelects(binding, cluster)) continue;
    for (const slot of slotsOf(binding, cluster, options)) {
      const result = renderFor(binding, cluster, slot.renderNamespace);
      if (!result.ok) {
        for (const e of result.errors) {
          errors.push({ binding: binding.name, template: binding.template.name, version: binding.version.version, field: e.field, message: e.message });
        }
        continue;
      }
      for (const rendered of result.policies) {
        const policy = stamp(rendered, binding, cluster, slot.target);
        const name = policy.metadata?.name ?? '';
        const forHash = slot.target.namespace === null ? { ...policy, metadata: { ...policy.metadata, namespace: RULE_PLACEHOLDER_NAMESPACE } } : policy;
        entries.push({
          key: desiredKey(slot.target, name),
          target: slot.target,
          name,
          policy,
          hash: hash(forHash),
          origin: {
            binding: binding.name,
            bindingId: binding.id,
            template: binding.template.name,
            templateId: binding.template.id,
            version: binding.version.version,
            templateVersionId: binding.version.id,
            gate: binding.gate,
          },
          driftMode: binding.driftMode,
        });
      }
    }
  }
  const byKey = new Map<string, DesiredPolicy[]>();
  for (const e of entries) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  const policies: DesiredPolicy[] = [];
  const conflicts: NameConflict[] = [];
  for (const [key, group] of byKey) {
    const first = group[0]!;
    if (group.length === 1) policies.push(first);
    else conflicts.push({ key, target: first.target, name: first.name, bindings: group.map((g) => g.origin.binding) });
  }
  policies.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { cluster: cluster.name, policies, conflicts, errors };
}

export type PlanAction = 'create' | 'update' | 'delete';

export interface AssignedEntry {
  key: string;
  target: DesiredTarget;
  name: string;
  hash: string;
  origin: Omit<PolicyOrigin, 'bindingId' | 'templateId'> & { bindingId?: string; templateId?: string };
  /** the body as applied (lets a rule entry be compared with the namespaces it was resolved into) */
  policy?: NetworkPolicy;
}

export interface PlanStep {
  action: PlanAction;
  key: string;
  target: DesiredTarget;
  name: string;
  desiredHash: string | null;
  assignedHash: string | null;
  origin: AssignedEntry['origin'];
}

/** The hash an applied object would have as a rule entry (its namespace replaced by the placeholder). */
function ruleFormHash(a: AssignedEntry): string {
  if (!a.policy) return a.hash;
  return hash({ ...a.policy, metadata: { ...a.policy.metadata, namespace: RULE_PLACEHOLDER_NAMESPACE } });
}

/** Whether an assigned object in a concrete namespace is an instance of a desired rule entry. */
function instanceOf(rule: DesiredPolicy, a: AssignedEntry): boolean {
  const r = rule.target.namespaceRule;
  if (!r || a.target.namespace === null || a.target.cluster !== rule.target.cluster || a.name !== rule.name || a.origin.binding !== rule.origin.binding) return false;
  // selectors need the namespace's labels, which only the applier sees: any namespace may match
  return r.selectors.length > 0 || r.globs.some((g) => matchesGlob(g, a.target.namespace!));
}

/**
 * What a rollout would do: intended (desired) against assigned, per object. A rule entry (globs,
 * selectors) matches the objects the applier resolved it into: unchanged when their bodies equal
 * the rule's, an update when not, a create when none was applied yet.
 */
export function planChanges(desired: readonly DesiredPolicy[], assigned: readonly AssignedEntry[]): { steps: PlanStep[]; unchanged: number } {
  const before = new Map(assigned.map((a) => [a.key, a]));
  const steps: PlanStep[] = [];
  let unchanged = 0;
  const ordered = [...desired.filter((d) => d.target.namespaceRule === null), ...desired.filter((d) => d.target.namespaceRule !== null)];
  for (const d of ordered) {
    const a = before.get(d.key);
    if (a) {
      before.delete(d.key);
      if (a.hash !== d.hash) steps.push({ action: 'update', key: d.key, target: d.target, name: d.name, desiredHash: d.hash, assignedHash: a.hash, origin: d.origin });
      else unchanged++;
      continue;
    }
    const instances = d.target.namespaceRule ? [...before.values()].filter((x) => instanceOf(d, x)) : [];
    if (instances.length === 0) {
      steps.push({ action: 'create', key: d.key, target: d.target, name: d.name, desiredHash: d.hash, assignedHash: null, origin: d.origin });
      continue;
    }
    for (const x of instances) {
      before.delete(x.key);
      if (ruleFormHash(x) === d.hash) unchanged++;
      else steps.push({ action: 'update', key: x.key, target: x.target, name: x.name, desiredHash: d.hash, assignedHash: x.hash, origin: d.origin });
    }
  }
  for (const a of before.values()) steps.push({ action: 'delete', key: a.key, target: a.target, name: a.name, desiredHash: null, assignedHash: a.hash, origin: a.origin });
  steps.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return { steps, unchanged };
}
