/**
 * What the API server's Go types do to a NetworkPolicy on the way in and out: fields the schema
 * does not know are dropped (create/update) or refused (apply, "field not declared in schema"),
 * and `omitempty` fields that are empty or null disappear — `ingress: []` is stored and served
 * as no `ingress` at all, while a non-nil pointer such as `namespaceSelector: {}` stays.
 */
import { StatusError } from './status.js';

type Node =
  | { t: 'struct'; fields: Record<string, { node: Node; omitEmpty: boolean; pointer?: boolean }> }
  | { t: 'list'; item: Node }
  | { t: 'map' }
  | { t: 'scalar' }
  /** Kept as sent (sub-structures the simulator does not model field by field). */
  | { t: 'any' };

const scalar: Node = { t: 'scalar' };
const strings: Node = { t: 'list', item: scalar };
const f = (node: Node, omitEmpty = true, pointer = false) => ({ node, omitEmpty, pointer });

const requirement: Node = { t: 'struct', fields: { key: f(scalar, false), operator: f(scalar, false), values: f(strings) } };
const selector: Node = { t: 'struct', fields: { matchLabels: f({ t: 'map' }), matchExpressions: f({ t: 'list', item: requirement }) } };
const ipBlock: Node = { t: 'struct', fields: { cidr: f(scalar, false), except: f(strings) } };
const peer: Node = { t: 'struct', fields: { podSelector: f(selector, true, true), namespaceSelector: f(selector, true, true), ipBlock: f(ipBlock, true, true) } };
const port: Node = { t: 'struct', fields: { protocol: f(scalar, true, true), port: f(scalar, true, true), endPort: f(scalar, true, true) } };
const ingressRule: Node = { t: 'struct', fields: { ports: f({ t: 'list', item: port }), from: f({ t: 'list', item: peer }) } };
const egressRule: Node = { t: 'struct', fields: { ports: f({ t: 'list', item: port }), to: f({ t: 'list', item: peer }) } };

export const networkPolicySpecSchema: Node = {
  t: 'struct',
  fields: {
    podSelector: f(selector, false),
    ingress: f({ t: 'list', item: ingressRule }),
    egress: f({ t: 'list', item: egressRule }),
    policyTypes: f(strings),
  },
};

export const namespaceSpecSchema: Node = { t: 'struct', fields: { finalizers: f(strings) } };

export type SchemaNode = Node;
const any: Node = { t: 'any' };
const anyFields = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, f(any)]));
const struct = (fields: Record<string, { node: Node; omitEmpty: boolean; pointer?: boolean }>): Node => ({ t: 'struct', fields });

const containerPort = struct({ containerPort: f(scalar, false), ...anyFields('name', 'hostPort', 'hostIP'), protocol: f(scalar) });
const container = struct({
  name: f(scalar, false),
  ...anyFields('image', 'command', 'args', 'workingDir', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'volumeMounts', 'volumeDevices'),
  ...anyFields('livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'),
  ports: f({ t: 'list', item: containerPort }),
});

/** core/v1 PodSpec: containers and their ports field by field, the rest kept as sent. */
export const podSpecSchema: Node = struct({
  containers: f({ t: 'list', item: container }, false),
  initContainers: f({ t: 'list', item: container }),
  ...anyFields('volumes', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName'),
  ...anyFields('serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets'),
  ...anyFields('hostname', 'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName'),
  ...anyFields('enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims'),
});

const servicePort = struct({ ...anyFields('name', 'appProtocol', 'targetPort', 'nodePort'), protocol: f(scalar), port: f(scalar, false) });

/** core/v1 ServiceSpec. */
export const serviceSpecSchema: Node = struct({
  ports: f({ t: 'list', item: servicePort }),
  selector: f({ t: 'map' }),
  ...anyFields('clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP', 'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy'),
  ...anyFields('healthCheckNodePort', 'publishNotReadyAddresses', 'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass'),
  ...anyFields('internalTrafficPolicy', 'trafficDistribution'),
});

/** core/v1 Endpoints: no spec, `subsets` at the top level. */
export const endpointsTopSchema: Record<string, Node> = { subsets: { t: 'list', item: struct(anyFields('addresses', 'notReadyAddresses', 'ports')) } };

const templateMeta = struct(anyFields('name', 'namespace', 'labels', 'annotations', 'generateName', 'finalizers', 'ownerReferences'));

/** apps/v1 DaemonSetSpec. */
export const daemonSetSpecSchema: Node = struct({
  selector: f(selector, true, true),
  template: f(struct({ metadata: f(templateMeta), spec: f(podSpecSchema) }), false),
  ...anyFields('updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'),
});

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function empty(v: unknown, pointer: boolean): boolean {
  if (v === null || v === undefined) return true;
  if (pointer) return false;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return v === '' || v === 0 || v === false;
}

/**
 * Returns a copy shaped by the Go types. Wrongly typed values are kept as they are, so that
 * validation reports them. With `strict`, unknown fields throw as structured-merge-diff does.
 */
export function shape(value: unknown, node: Node, path: string, strict: boolean): unknown {
  switch (node.t) {
    case 'scalar':
    case 'any':
      return value;
    case 'map':
      return isPlainObject(value) ? { ...value } : value;
    case 'list':
      return Array.isArray(value) ? value.map((item, i) => shape(item, node.item, `${path}[${i}]`, strict)) : value;
    case 'struct': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const field = node.fields[k];
        if (!field) {
          if (strict) throw new StatusError(400, 'BadRequest', `${path}.${k}: field not declared in schema`);
          continue;
        }
        if (v === null || v === undefined) continue;
        const shaped = shape(v, field.node, `${path}.${k}`, strict);
        // Scalars keep zero values here (e.g. port 0 must reach validation); only collections and
        // nil pointers vanish, as omitempty does for the types NetworkPolicy uses.
        if (field.omitEmpty && (Array.isArray(shaped) || isPlainObject(shaped)) && empty(shaped, !!field.pointer)) continue;
        out[k] = shaped;
      }
      return out;
    }
    default:
      return value;
  }
}
