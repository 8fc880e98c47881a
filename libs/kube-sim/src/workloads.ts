/**
 * core/v1 Pod, Service, Endpoints and apps/v1 DaemonSet: the defaulting, validation and
 * server-set values (ClusterIP, NodePort, pod IP, status) of kube-apiserver v1.26–1.32 for the
 * fields fleetgate and kubectl use. Messages and field paths are the API server's.
 */
import {
  GoValue,
  fieldError,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidIP,
  isValidPortName,
  isValidPortNum,
  regexError,
  validateLabelSelector,
  validateLabels,
  type FieldError,
  type LabelSelector,
} from '@fleetgate/netpol';
import { intern } from './intern.js';
import type { KubeObject } from './managed-fields.js';
import type { ClusterContext, ResourceKind } from './resources.js';
import { daemonSetSpecSchema, endpointsTopSchema, podSpecSchema, serviceSpecSchema } from './schema.js';
import { StatusError, type ResourceRef } from './status.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const META_FIELDS = new Set(['metadata.name', 'metadata.namespace']);

const dns1035Fmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
/** validation.IsDNS1035Label: Service names. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!new RegExp(`^${dns1035Fmt}$`).test(value)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", dns1035Fmt, 'my-name', 'abc-123'));
  }
  return errs;
}

function nameErrors(obj: KubeObject, check: (v: string) => string[]): FieldError[] {
  const name = obj.metadata.name;
  if (!name) return [fieldError.required('metadata.name', 'name or generateName is required')];
  return check(name).map((m) => fieldError.invalid('metadata.name', name, m));
}

/** Keys in the order of the Go struct (the order the API server serializes them in). */
function ordered(obj: Rec, order: readonly string[]): Rec {
  const out: Rec = {};
  for (const k of order) if (obj[k] !== undefined) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out) && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

const CONTAINER_ORDER = ['name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'];
const POD_SPEC_ORDER = ['volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims'];
const SERVICE_SPEC_ORDER = ['ports', 'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP', 'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses', 'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'internalTrafficPolicy', 'trafficDistribution'];

function defaultContainer(c: unknown, hostNetwork: boolean): unknown {
  if (!isRec(c)) return c;
  const out: Rec = { ...c };
  if (Array.isArray(out.ports)) {
    out.ports = out.ports.map((p) => {
      if (!isRec(p)) return p;
      const q: Rec = { ...p };
      q.protocol ??= 'TCP';
      if (hostNetwork && q.hostPort === undefined && typeof q.containerPort === 'number') q.hostPort = q.containerPort;
      return ordered(q, ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP']);
    });
  }
  out.resources ??= {};
  out.terminationMessagePath ??= '/dev/termination-log';
  out.terminationMessagePolicy ??= 'File';
  if (out.imagePullPolicy === undefined && typeof out.image === 'string') {
    const tagged = /:[^/:]+$/.test(out.image.split('@')[0] ?? '');
    out.imagePullPolicy = out.image.includes('@') || (tagged && !out.image.endsWith(':latest')) ? 'IfNotPresent' : 'Always';
  }
  return ordered(out, CONTAINER_ORDER);
}

/** core/v1 SetDefaults_PodSpec (+ the container defaults). */
export function defaultPodSpec(spec: Rec | undefined): Rec {
  const out: Rec = { ...(spec ?? {}) };
  const hostNetwork = out.hostNetwork === true;
  if (Array.isArray(out.containers)) out.containers = out.containers.map((c) => defaultContainer(c, hostNetwork));
  if (Array.isArray(out.initContainers)) out.initContainers = out.initContainers.map((c) => defaultContainer(c, hostNetwork));
  out.restartPolicy ??= 'Always';
  out.terminationGracePeriodSeconds ??= 30;
  out.dnsPolicy ??= 'ClusterFirst';
  out.securityContext ??= {};
  out.schedulerName ??= 'default-scheduler';
  out.enableServiceLinks ??= true;
  out.preemptionPolicy ??= 'PreemptLowerPriority';
  return out;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(ports)) return errors;
  const names = new Set<string>();
  ports.forEach((p, j) => {
    if (!isRec(p)) return;
    const pp = `${path}[${j}]`;
    if (typeof p.name === 'string' && p.name !== '') {
      for (const m of isValidPortName(p.name)) errors.push(fieldError.invalid(`${pp}.name`, p.name, m));
      if (names.has(p.name)) errors.push(fieldError.duplicate(`${pp}.name`, p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errors.push(fieldError.required(`${pp}.containerPort`));
    else if (typeof p.containerPort !== 'number') errors.push(fieldError.invalid(`${pp}.containerPort`, p.containerPort, 'must be an integer'));
    else for (const m of isValidPortNum(p.containerPort)) errors.push(fieldError.invalid(`${pp}.containerPort`, p.containerPort, m));
    if (typeof p.hostPort === 'number' && p.hostPort !== 0) for (const m of isValidPortNum(p.hostPort)) errors.push(fieldError.invalid(`${pp}.hostPort`, p.hostPort, m));
    if (p.protocol === undefined || p.protocol === '') errors.push(fieldError.required(`${pp}.protocol`));
    else if (!PROTOCOLS.includes(String(p.protocol))) errors.push(fieldError.notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
  });
  return errors;
}

function validateContainers(list: unknown, path: string, required: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    if (required) errors.push(fieldError.required(path));
    return errors;
  }
  const names = new Set<string>();
  list.forEach((c, i) => {
    const cp = `${path}[${i}]`;
    if (!isRec(c)) return;
    if (typeof c.name !== 'string' || c.name === '') errors.push(fieldError.required(`${cp}.name`));
    else {
      for (const m of isDNS1123Label(c.name)) errors.push(fieldError.invalid(`${cp}.name`, c.name, m));
      if (names.has(c.name)) errors.push(fieldError.duplicate(`${cp}.name`, c.name));
      names.add(c.name);
    }
    if (typeof c.image !== 'string' || c.image.trim() === '') errors.push(fieldError.required(`${cp}.image`));
    errors.push(...validatePorts(c.ports, `${cp}.ports`));
    if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(String(c.imagePullPolicy))) {
      errors.push(fieldError.notSupported(`${cp}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
    }
  });
  return errors;
}

/** The parts of ValidatePodSpec that matter here. */
export function validatePodSpec(spec: Rec | undefined, path: string, restartPolicies = ['Always', 'OnFailure', 'Never']): FieldError[] {
  const s = spec ?? {};
  const errors = validateContainers(s.containers, `${path}.containers`, true);
  errors.push(...validateContainers(s.initContainers, `${path}.initContainers`, false));
  if (!restartPolicies.includes(String(s.restartPolicy))) errors.push(fieldError.notSupported(`${path}.restartPolicy`, s.restartPolicy, restartPolicies));
  const dns = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!dns.includes(String(s.dnsPolicy))) errors.push(fieldError.notSupported(`${path}.dnsPolicy`, s.dnsPolicy, dns));
  if (s.nodeSelector !== undefined) errors.push(...validateLabels(s.nodeSelector as Record<string, string>, `${path}.nodeSelector`));
  if (typeof s.terminationGracePeriodSeconds === 'number' && s.terminationGracePeriodSeconds < 0) {
    errors.push(fieldError.invalid(`${path}.terminationGracePeriodSeconds`, s.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  return errors;
}

const ref = (group: string, resource: string): ResourceRef => ({ qualified: group ? `${resource}.${group}` : resource, group, resource });

// ---- Pod ----

export const podKind: ResourceKind = {
  ref: ref('', 'pods'),
  kind: 'Pod',
  listKind: 'PodList',
  apiVersion: 'v1',
  qualifiedKind: 'Pod',
  namespaced: true,
  singular: 'pod',
  shortNames: ['po'],
  generation: false,
  serverStatus: true,
  specKeys: new Set(Object.keys((podSpecSchema as { fields: Rec }).fields)),
  specSchema: podSpecSchema,
  fieldSelectors: new Set(['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName']),
  customFieldLabels: true,
  fieldValue(obj, field) {
    const spec = obj.spec ?? {};
    const status = obj.status ?? {};
    switch (field) {
      case 'spec.nodeName':
      case 'spec.restartPolicy':
      case 'spec.schedulerName':
      case 'spec.serviceAccountName':
        return String(spec[field.slice(5)] ?? '');
      case 'spec.hostNetwork':
        return String(spec.hostNetwork === true);
      case 'status.phase':
      case 'status.podIP':
      case 'status.nominatedNodeName':
        return String(status[field.slice(7)] ?? '');
      default:
        return '';
    }
  },
  default(obj) {
    const out = structuredClone(obj);
    const spec = defaultPodSpec(out.spec);
    // Admission: the ServiceAccount plugin and DefaultTolerationSeconds.
    spec.serviceAccountName ??= 'default';
    spec.serviceAccount ??= spec.serviceAccountName;
    spec.priority ??= 0;
    if (!Array.isArray(spec.tolerations)) spec.tolerations = [];
    const tol = spec.tolerations as Rec[];
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      if (!tol.some((t) => t.key === key)) tol.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
    out.spec = ordered(spec, POD_SPEC_ORDER);
    return out;
  },
  validate(obj) {
    const errors = nameErrors(obj, isDNS1123Subdomain);
    errors.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
    errors.push(...validatePodSpec(obj.spec, 'spec'));
    return errors;
  },
  onCreate(obj, ctx) {
    // Scheduled and started at once: a node, a pod IP (the node's own with hostNetwork), Running.
    const spec = (obj.spec ??= {});
    const node = typeof spec.nodeName === 'string' && spec.nodeName ? (ctx.nodes.find((n) => n.name === spec.nodeName) ?? ctx.pickNode()) : ctx.pickNode();
    if (!spec.nodeName) obj.spec = ordered({ ...spec, nodeName: node.name }, POD_SPEC_ORDER);
    const ip = spec.hostNetwork === true ? node.ip : ctx.podIPs.allocate();
    obj.status = podStatus(node.ip, ip, ctx.now());
  },
  onUpdate(next, current) {
    next.status = current.status;
    const changed = Object.keys({ ...(current.spec ?? {}), ...(next.spec ?? {}) }).filter((k) => JSON.stringify(current.spec?.[k]) !== JSON.stringify(next.spec?.[k]));
    const allowed = new Set(['containers', 'initContainers', 'activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds']);
    const imagesOnly = (k: string) => {
      const a = (current.spec?.[k] ?? []) as Rec[];
      const b = (next.spec?.[k] ?? []) as Rec[];
      return a.length === b.length && a.every((c, i) => JSON.stringify({ ...c, image: '' }) === JSON.stringify({ ...b[i], image: '' }));
    };
    if (changed.some((k) => !allowed.has(k) || ((k === 'containers' || k === 'initContainers') && !imagesOnly(k)))) {
      throw new StatusError(422, 'Invalid', `Pod "${next.metadata.name}" is invalid: spec: Forbidden: pod updates may not change fields other than \`spec.containers[*].image\`,\`spec.initContainers[*].image\`,\`spec.activeDeadlineSeconds\`,\`spec.tolerations\` (only additions to existing tolerations),\`spec.terminationGracePeriodSeconds\` (allow it to be set to 1 if it was previously negative)`, {
        name: next.metadata.name,
        kind: 'Pod',
        causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)', field: 'spec' }],
      });
    }
  },
  onDelete(obj, ctx) {
    const ip = obj.status?.podIP;
    if (typeof ip === 'string' && obj.spec?.hostNetwork !== true) ctx.podIPs.release(ip);
  },
};

function podStatus(hostIP: string, podIP: string | undefined, now: string): Rec {
  const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
  return {
    phase: 'Running',
    // The same for every pod started in the same second: one shared copy.
    conditions: intern([cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled')]),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: now,
    qosClass: 'BestEffort',
  };
}

// ---- Service ----

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

export const serviceKind: ResourceKind = {
  ref: ref('', 'services'),
  kind: 'Service',
  listKind: 'ServiceList',
  apiVersion: 'v1',
  qualifiedKind: 'Service',
  namespaced: true,
  singular: 'service',
  shortNames: ['svc'],
  generation: false,
  serverStatus: true,
  specKeys: new Set(Object.keys((serviceSpecSchema as { fields: Rec }).fields)),
  specSchema: serviceSpecSchema,
  fieldSelectors: META_FIELDS,
  default(obj) {
    const out = structuredClone(obj);
    const spec: Rec = { ...(out.spec ?? {}) };
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (Array.isArray(spec.ports)) {
      spec.ports = spec.ports.map((p) => {
        if (!isRec(p)) return p;
        const q: Rec = { ...p };
        q.protocol ??= 'TCP';
        if (q.targetPort === undefined || q.targetPort === 0 || q.targetPort === '') q.targetPort = q.port;
        return ordered(q, ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort']);
      });
    }
    if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
    if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && spec.clusterIPs === undefined) spec.clusterIPs = [spec.clusterIP];
    out.spec = ordered(spec, SERVICE_SPEC_ORDER);
    return out;
  },
  validate(obj) {
    const errors = nameErrors(obj, isDNS1035Label);
    errors.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
    const s = obj.spec ?? {};
    if (!SERVICE_TYPES.includes(String(s.type))) errors.push(fieldError.notSupported('spec.type', s.type, SERVICE_TYPES));
    if (!['ClientIP', 'None'].includes(String(s.sessionAffinity))) errors.push(fieldError.notSupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']));
    const ports = Array.isArray(s.ports) ? s.ports : [];
    if (s.type === 'ExternalName') {
      if (typeof s.externalName !== 'string' || !s.externalName) errors.push(fieldError.required('spec.externalName'));
    } else if (ports.length === 0 && s.clusterIP !== 'None') {
      errors.push(fieldError.required('spec.ports'));
    }
    const names = new Set<string>();
    const keys = new Set<string>();
    ports.forEach((p, i) => {
      if (!isRec(p)) return;
      const pp = `spec.ports[${i}]`;
      if (ports.length > 1 && (typeof p.name !== 'string' || p.name === '')) errors.push(fieldError.required(`${pp}.name`));
      if (typeof p.name === 'string' && p.name !== '') {
        for (const m of isDNS1123Label(p.name)) errors.push(fieldError.invalid(`${pp}.name`, p.name, m));
        if (names.has(p.name)) errors.push(fieldError.duplicate(`${pp}.name`, p.name));
        names.add(p.name);
      }
      if (typeof p.port !== 'number') errors.push(fieldError.invalid(`${pp}.port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'));
      else for (const m of isValidPortNum(p.port)) errors.push(fieldError.invalid(`${pp}.port`, p.port, m));
      if (!PROTOCOLS.includes(String(p.protocol))) errors.push(fieldError.notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
      if (typeof p.targetPort === 'number') for (const m of isValidPortNum(p.targetPort)) errors.push(fieldError.invalid(`${pp}.targetPort`, p.targetPort, m));
      else if (typeof p.targetPort === 'string') for (const m of isValidPortName(p.targetPort)) errors.push(fieldError.invalid(`${pp}.targetPort`, p.targetPort, m));
      const key = `${String(p.port)}/${String(p.protocol)}`;
      if (keys.has(key)) errors.push(fieldError.duplicate(pp, new GoValue(`core.ServicePort{Name:${JSON.stringify(p.name ?? '')}, Protocol:${JSON.stringify(p.protocol)}, Port:${String(p.port)}}`)));
      keys.add(key);
      if (p.nodePort !== undefined && (typeof p.nodePort !== 'number' || isValidPortNum(p.nodePort).length)) errors.push(fieldError.invalid(`${pp}.nodePort`, p.nodePort, 'must be between 1 and 65535, inclusive'));
    });
    if (s.selector !== undefined) errors.push(...validateLabels(s.selector as Record<string, string>, 'spec.selector'));
    const ips = Array.isArray(s.clusterIPs) ? s.clusterIPs : [];
    ips.forEach((ip, i) => {
      if (ip !== 'None' && (typeof ip !== 'string' || !isValidIP(ip))) errors.push(fieldError.invalid(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    });
    if (typeof s.clusterIP === 'string' && s.clusterIP !== '' && ips.length && ips[0] !== s.clusterIP) errors.push(fieldError.invalid('spec.clusterIPs', new GoValue(goStrings(ips)), 'must match `spec.clusterIP`'));
    return errors;
  },
  onCreate(obj, ctx) {
    const spec = (obj.spec ??= {});
    if (spec.type !== 'ExternalName') {
      const requested = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
      let ip: string;
      if (requested === 'None') ip = 'None';
      else if (requested) {
        const fail = (why: string) =>
          new StatusError(422, 'Invalid', `Service "${obj.metadata.name}" is invalid: spec.clusterIPs: Invalid value: ${goStrings([requested])}: failed to allocate IP ${requested}: ${why}`, {
            name: obj.metadata.name,
            kind: 'Service',
            causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${goStrings([requested])}: failed to allocate IP ${requested}: ${why}`, field: 'spec.clusterIPs' }],
          });
        if (!ctx.serviceIPs.contains(requested)) throw fail(`the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${ctx.serviceIPs.cidr}`);
        if (ctx.serviceIPs.isUsed(requested)) throw fail('provided IP is already allocated');
        ctx.serviceIPs.take(requested);
        ip = requested;
      } else {
        const got = ctx.serviceIPs.allocate();
        if (!got) throw new StatusError(500, 'InternalError', 'Internal error occurred: failed to allocate a serviceIP: range is full');
        ip = got;
      }
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && Array.isArray(spec.ports)) {
        spec.ports = spec.ports.map((p) => {
          if (!isRec(p) || typeof p.nodePort === 'number') return p;
          const port = ctx.allocateNodePort();
          return ordered({ ...p, nodePort: port }, ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort']);
        });
      }
    }
    obj.spec = ordered(spec, SERVICE_SPEC_ORDER);
    obj.status = { loadBalancer: {} };
  },
  onUpdate(next, current) {
    const spec: Rec = { ...(next.spec ?? {}) };
    const cur = current.spec ?? {};
    // The allocated values are kept when an update leaves them out, and may not change.
    for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) if (spec[k] === undefined || spec[k] === '') spec[k] = cur[k];
    if (JSON.stringify(spec.clusterIPs) !== JSON.stringify(cur.clusterIPs) && cur.clusterIPs !== undefined) {
      throw new StatusError(422, 'Invalid', `Service "${next.metadata.name}" is invalid: spec.clusterIPs[0]: Invalid value: []string{${((spec.clusterIPs as string[]) ?? []).map((x) => JSON.stringify(x)).join(', ')}}: may not change once set`, {
        name: next.metadata.name,
        kind: 'Service',
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: may not change once set', field: 'spec.clusterIPs[0]' }],
      });
    }
    if (Array.isArray(spec.ports) && Array.isArray(cur.ports)) {
      spec.ports = spec.ports.map((p) => {
        if (!isRec(p) || p.nodePort !== undefined) return p;
        const old = (cur.ports as Rec[]).find((o) => o.port === p.port && o.protocol === p.protocol);
        return old?.nodePort !== undefined ? ordered({ ...p, nodePort: old.nodePort }, ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort']) : p;
      });
    }
    next.spec = ordered(spec, SERVICE_SPEC_ORDER);
    next.status = current.status;
  },
  onDelete(obj, ctx) {
    const ip = obj.spec?.clusterIP;
    if (typeof ip === 'string' && ip !== 'None') ctx.serviceIPs.release(ip);
    for (const p of (obj.spec?.ports ?? []) as Rec[]) if (typeof p.nodePort === 'number') ctx.releaseNodePort(p.nodePort);
  },
};

function goStrings(values: readonly unknown[]): string {
  return `[]string{${values.map((v) => JSON.stringify(String(v))).join(', ')}}`;
}

// ---- Endpoints ----

export const endpointsKind: ResourceKind = {
  ref: ref('', 'endpoints'),
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  apiVersion: 'v1',
  qualifiedKind: 'Endpoints',
  namespaced: true,
  singular: 'endpoints',
  shortNames: ['ep'],
  generation: false,
  specKeys: new Set(),
  topSchema: endpointsTopSchema,
  fieldSelectors: META_FIELDS,
  default(obj) {
    const out = structuredClone(obj);
    if (Array.isArray(out.subsets)) {
      out.subsets = (out.subsets as unknown[]).map((s) => {
        if (!isRec(s) || !Array.isArray(s.ports)) return s;
        return { ...s, ports: s.ports.map((p: unknown) => (isRec(p) ? ordered({ ...p, protocol: p.protocol ?? 'TCP' }, ['name', 'port', 'protocol', 'appProtocol']) : p)) };
      });
    }
    return out;
  },
  validate(obj) {
    const errors = nameErrors(obj, isDNS1123Subdomain);
    errors.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
    ((obj.subsets ?? []) as Rec[]).forEach((s, i) => {
      for (const [list, key] of [['addresses', 'addresses'], ['notReadyAddresses', 'notReadyAddresses']] as const) {
        ((s[list] ?? []) as Rec[]).forEach((a, j) => {
          if (typeof a.ip !== 'string' || !isValidIP(a.ip)) errors.push(fieldError.invalid(`subsets[${i}].${key}[${j}].ip`, a.ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
        });
      }
      ((s.ports ?? []) as Rec[]).forEach((p, j) => {
        if (typeof p.port !== 'number' || isValidPortNum(p.port).length) errors.push(fieldError.invalid(`subsets[${i}].ports[${j}].port`, p.port, 'must be between 1 and 65535, inclusive'));
        if (!PROTOCOLS.includes(String(p.protocol))) errors.push(fieldError.notSupported(`subsets[${i}].ports[${j}].protocol`, p.protocol, PROTOCOLS));
      });
    });
    return errors;
  },
};

// ---- DaemonSet ----

export const daemonSetKind: ResourceKind = {
  ref: ref('apps', 'daemonsets'),
  kind: 'DaemonSet',
  listKind: 'DaemonSetList',
  apiVersion: 'apps/v1',
  qualifiedKind: 'DaemonSet.apps',
  namespaced: true,
  singular: 'daemonset',
  shortNames: ['ds'],
  generation: true,
  serverStatus: true,
  specKeys: new Set(Object.keys((daemonSetSpecSchema as { fields: Rec }).fields)),
  specSchema: daemonSetSpecSchema,
  fieldSelectors: META_FIELDS,
  default(obj) {
    const out = structuredClone(obj);
    const spec: Rec = { ...(out.spec ?? {}) };
    const template: Rec = isRec(spec.template) ? { ...spec.template } : {};
    template.metadata = { creationTimestamp: null, ...(isRec(template.metadata) ? template.metadata : {}) };
    template.spec = ordered(defaultPodSpec(isRec(template.spec) ? template.spec : undefined), POD_SPEC_ORDER);
    spec.template = ordered(template, ['metadata', 'spec']);
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
    spec.revisionHistoryLimit ??= 10;
    out.spec = ordered(spec, ['selector', 'template', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit']);
    return out;
  },
  validate(obj) {
    const errors = nameErrors(obj, isDNS1123Subdomain);
    errors.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
    const s = obj.spec ?? {};
    const sel = s.selector as LabelSelector | undefined;
    const tmplLabels = ((s.template as Rec | undefined)?.metadata as Rec | undefined)?.labels as Record<string, string> | undefined;
    if (!sel) errors.push(fieldError.required('spec.selector'));
    else {
      errors.push(...validateLabelSelector(sel, 'spec.selector'));
      if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) errors.push(fieldError.invalid('spec.selector', new GoValue(goSelector(sel)), 'empty selector is invalid for daemonset'));
      else if (!Object.entries(sel.matchLabels ?? {}).every(([k, v]) => tmplLabels?.[k] === v)) {
        errors.push(fieldError.invalid('spec.template.metadata.labels', new GoValue(goMap(tmplLabels)), '`selector` does not match template `labels`'));
      }
    }
    if (tmplLabels) errors.push(...validateLabels(tmplLabels, 'spec.template.metadata.labels'));
    errors.push(...validatePodSpec((s.template as Rec | undefined)?.spec as Rec | undefined, 'spec.template.spec', ['Always']));
    return errors;
  },
};

function goMap(m: Record<string, string> | undefined): string {
  if (!m) return 'map[string]string(nil)';
  return `map[string]string{${Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(', ')}}`;
}

function goSelector(sel: LabelSelector): string {
  return `&v1.LabelSelector{MatchLabels:${goMap(sel.matchLabels)}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
}

/** What a DaemonSet's status says once its pods run on every node. */
export function daemonSetStatus(generation: number, desired: number, ready: number): Rec {
  return { currentNumberScheduled: desired, numberMisscheduled: 0, desiredNumberScheduled: desired, numberReady: ready, observedGeneration: generation, updatedNumberScheduled: desired, numberAvailable: ready };
}

export const WORKLOAD_KINDS: readonly ResourceKind[] = [podKind, serviceKind, endpointsKind, daemonSetKind];
export type { ClusterContext };
