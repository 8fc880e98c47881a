/** `application/json;as=Table;g=meta.k8s.io;v=v1` answers, as kubectl get asks for them. */
import type { KubeObject } from './managed-fields.js';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.FormatLabelSelector: requirements sorted by key, `<none>` when empty. */
export function formatLabelSelector(sel: Selector | undefined): string {
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text = e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator}`;
    reqs.push({ key: e.key, text });
  }
  const out = reqs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i))
    .map(({ r }) => r.text)
    .join(',');
  return out === '' ? '<none>' : out;
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const NAME_COL = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 };
const AGE_COL = { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 };

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && accept.includes('as=Table') && accept.includes('g=meta.k8s.io');
}

function age(o: KubeObject, nowMs: number): string {
  const t = o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(nowMs - t);
}

function partial(o: KubeObject): Record<string, unknown> {
  const { managedFields: _mf, ...metadata } = o.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

type Col = { name: string; type: string; format: string; description: string; priority: number };
const col = (name: string, description: string, type = 'string', priority = 0): Col => ({ name, type, format: '', description, priority });
type Rec = Record<string, unknown>;

/** Columns and cells as kube-apiserver's printers (pkg/printers/internalversion) produce them. */
const PRINTERS: Record<string, { columns: Col[]; cells(o: KubeObject, nowMs: number): unknown[] }> = {
  NetworkPolicy: {
    columns: [NAME_COL, col('Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.'), AGE_COL],
    cells: (o, nowMs) => [o.metadata.name, formatLabelSelector(o.spec?.podSelector as Selector | undefined), age(o, nowMs)],
  },
  Namespace: {
    columns: [NAME_COL, col('Status', 'The status of the namespace'), AGE_COL],
    cells: (o, nowMs) => [o.metadata.name, String((o.status as { phase?: string } | undefined)?.phase ?? ''), age(o, nowMs)],
  },
  Pod: {
    columns: [
      NAME_COL,
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE_COL,
      col('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 'string', 1),
      col('Node', 'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.', 'string', 1),
      col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.', 'string', 1),
      col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates', 'string', 1),
    ],
    cells: (o, nowMs) => {
      const containers = ((o.spec?.containers ?? []) as unknown[]).length;
      const st = (o.status ?? {}) as Rec;
      const running = st.phase === 'Running';
      return [o.metadata.name, `${running ? containers : 0}/${containers}`, String(st.phase ?? 'Pending'), '0', age(o, nowMs), String(st.podIP ?? '<none>'), String(o.spec?.nodeName ?? '<none>'), '<none>', '<none>'];
    },
  },
  Service: {
    columns: [
      NAME_COL,
      col('Type', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
      col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
      col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
      col('Port(s)', 'The list of ports that are exposed by this service.'),
      AGE_COL,
      col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 'string', 1),
    ],
    cells: (o, nowMs) => {
      const s = o.spec ?? {};
      const ports = ((s.ports ?? []) as Rec[]).map((p) => `${String(p.port)}${p.nodePort ? `:${String(p.nodePort)}` : ''}/${String(p.protocol ?? 'TCP')}`).join(',');
      const ext = s.type === 'ExternalName' ? String(s.externalName ?? '') : ((s.externalIPs ?? []) as string[]).join(',') || (s.type === 'LoadBalancer' ? '<pending>' : '<none>');
      const selector = Object.entries((s.selector ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
      return [o.metadata.name, String(s.type ?? 'ClusterIP'), String(s.clusterIP ?? '<none>'), ext, ports || '<none>', age(o, nowMs), selector || '<none>'];
    },
  },
  Endpoints: {
    columns: [NAME_COL, col('Endpoints', 'Endpoints of the service'), AGE_COL],
    cells: (o, nowMs) => [o.metadata.name, formatEndpoints((o.subsets ?? []) as Rec[]), age(o, nowMs)],
  },
  DaemonSet: {
    columns: [
      NAME_COL,
      col('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/', 'integer'),
      col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/', 'integer'),
      col('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', 'integer'),
      col('Up-to-date', 'The total number of nodes that are running updated daemon pod', 'integer'),
      col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', 'integer'),
      col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/'),
      AGE_COL,
      col('Containers', 'Names of each container in the template.', 'string', 1),
      col('Images', 'Images referenced by each container in the template.', 'string', 1),
      col('Selector', 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template\'s labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 'string', 1),
    ],
    cells: (o, nowMs) => {
      const st = (o.status ?? {}) as Rec;
      const n = (k: string) => Number(st[k] ?? 0);
      const tspec = ((o.spec?.template as Rec | undefined)?.spec ?? {}) as Rec;
      const containers = (tspec.containers ?? []) as Rec[];
      const nodeSelector = Object.entries((tspec.nodeSelector ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
      return [o.metadata.name, n('desiredNumberScheduled'), n('currentNumberScheduled'), n('numberReady'), n('updatedNumberScheduled'), n('numberAvailable'), nodeSelector || '<none>', age(o, nowMs), containers.map((c) => String(c.name)).join(','), containers.map((c) => String(c.image)).join(','), formatLabelSelector(o.spec?.selector as Selector | undefined)];
    },
  },
};

/** printers.formatEndpoints: up to three ip:port pairs, then "+ N more...". */
function formatEndpoints(subsets: Rec[]): string {
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const ports = (ss.ports ?? []) as Rec[];
    for (const a of (ss.addresses ?? []) as Rec[]) {
      if (ports.length === 0) {
        count++;
        if (list.length < 3) list.push(String(a.ip));
      }
      for (const p of ports) {
        count++;
        if (list.length < 3) list.push(`${String(a.ip)}:${String(p.port)}`);
      }
    }
  }
  if (count === 0) return '<none>';
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

/** Whether the simulator prints Tables for this kind. */
export function hasTable(kind: string): boolean {
  return kind in PRINTERS;
}

/** A Table for a list (`{items, metadata}`) or a single object of the given kind. */
export function toTable(kind: string, listOrObject: Record<string, unknown>, nowMs = Date.now()): Record<string, unknown> {
  const printer = PRINTERS[kind];
  if (!printer) throw new Error(`no table printer for ${kind}`);
  const items = Array.isArray(listOrObject.items) ? (listOrObject.items as KubeObject[]) : [listOrObject as unknown as KubeObject];
  const listMeta = Array.isArray(listOrObject.items) ? (listOrObject.metadata as Record<string, unknown>) : { resourceVersion: (listOrObject as unknown as KubeObject).metadata.resourceVersion };
  const rows = items.map((o) => ({ cells: printer.cells(o, nowMs), object: partial(o) }));
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions: printer.columns, rows };
}
