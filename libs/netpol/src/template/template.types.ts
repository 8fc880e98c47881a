/** Policy templates: a NetworkPolicy written in json-e with typed parameters. */

export type ParameterType = 'string' | 'int' | 'port' | 'cidr' | 'cidrList' | 'labels' | 'namespaceName';
export const PARAMETER_TYPES: readonly ParameterType[] = ['string', 'int', 'port', 'cidr', 'cidrList', 'labels', 'namespaceName'];

export interface TemplateParameter {
  name: string;
  type: ParameterType;
  description?: string;
  /** A missing required parameter is an error; an optional one falls back to `default` (or null). */
  required?: boolean;
  default?: unknown;
}

/** Any JSON value; in a template, json-e operators (`$eval`, `$if`, `$map`, `${…}`) may appear. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface PolicyTemplate {
  /** Names the template in errors, e.g. `gardener-general/allow-to-dns`. */
  name: string;
  description: string;
  parameters?: TemplateParameter[];
  /**
   * json-e template that renders to one NetworkPolicy, a list of them, or null (nothing).
   * `metadata.namespace` defaults to the context's namespace.
   */
  policy: JsonValue;
}

export interface ClusterNetworks {
  /** Pod CIDRs (one per IP family). */
  pods: string[];
  services: string[];
  nodes: string[];
}

export interface TemplateContext {
  cluster: {
    name: string;
    labels: Record<string, string>;
    networks: ClusterNetworks;
    /** For a user cluster: the namespace on its seed holding its control plane (`cluster-<id>`, `shoot--p--n`). */
    controlPlaneNamespace: string | null;
  };
  /** The seed hosting the cluster; for a seed itself, the seed's own facts. */
  seed: { name: string; networks: ClusterNetworks; blockedCIDRs: string[] } | null;
  /** The namespace the policy lands in. */
  namespace: string;
  /** The binding's parameter values (checked and defaulted before rendering). */
  params: Record<string, unknown>;
}

/** An error of a template: which template, which field (or parameter), what is wrong. */
export interface TemplateError {
  template: string;
  /** `params.<name>`, `template<json-e location>` or a field of the rendered policy (`policies[0].spec…`). */
  field: string;
  message: string;
  parameter?: string;
}

export type RenderResult<T> = { ok: true; policies: T[] } | { ok: false; errors: TemplateError[] };
