import {
  ApiException,
  CoreV1Api,
  HttpMethod,
  NetworkingV1Api,
  PatchStrategy,
  ServerConfiguration,
  VersionApi,
  createConfiguration,
  setHeaderOptions,
  type V1NetworkPolicy,
} from '@kubernetes/client-node';
import type { ClusterConnection } from './connection.js';
import { KubeApiError, httpError } from './kube-api.error.js';
import { type KubeStream, StreamPool } from './stream-pool.js';
import { ClusterTransport, type TransportOptions } from './transport.js';
import type { Namespace, NetworkPolicy, NetworkPolicyInput, VersionInfo } from './types.js';

export type KubeClientOptions = TransportOptions & {
  /** Items per page when listing (the server may return fewer). Default 500. */
  pageSize?: number;
  /** Where long-lived requests (watches) go; shared by a `KubeClientCache`. Default: the client's own. */
  streams?: StreamPool;
};

export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
  dryRun?: boolean;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListPage<T> {
  items: T[];
  resourceVersion: string | undefined;
  continue: string | undefined;
}

type Patch = { type: 'merge'; patch: Record<string, unknown> } | { type: 'json'; patch: Array<Record<string, unknown>> };

/**
 * The generated create/replace calls serialize bodies through client-node's model classes, whose
 * property for `ingress[].from` is `_from`; a plain `from` would be dropped silently.
 */
function toClientShape(policy: NetworkPolicyInput): V1NetworkPolicy {
  const body: Record<string, unknown> = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', ...policy };
  if (policy.spec) {
    body.spec = { ...policy.spec, ingress: policy.spec.ingress?.map(({ from, ...rest }) => (from === undefined ? rest : { ...rest, _from: from })) };
  }
  return body as unknown as V1NetworkPolicy;
}

interface RawInfo {
  body: { text(): Promise<string> };
}

/**
 * fleetgate's client for one cluster, over @kubernetes/client-node's generated APIs with a
 * pooled transport. Everything it returns is the plain JSON the server sent; everything it throws
 * is a `KubeApiError`. Call `close()` when the cluster is gone to free its sockets.
 */
export class KubeClient {
  private readonly transport: ClusterTransport;
  private readonly pageSize: number;
  private readonly server: ServerConfiguration<Record<string, string>>;
  /** The generated APIs, made on first use: list and apply (the hot paths) go through `raw` and never need them. */
  private apis: { core: CoreV1Api; net: NetworkingV1Api; version: VersionApi } | undefined;
  private readonly streams: StreamPool;
  private readonly ownsStreams: boolean;

  constructor(
    private readonly conn: ClusterConnection,
    opts: KubeClientOptions = {},
  ) {
    this.transport = new ClusterTransport(conn, opts);
    this.ownsStreams = opts.streams === undefined;
    this.streams = opts.streams ?? new StreamPool({ connectTimeoutMs: opts.timeoutMs });
    this.pageSize = opts.pageSize ?? 500;
    this.server = new ServerConfiguration(conn.server.replace(/\/+$/, ''), {});
  }

  private get generated(): { core: CoreV1Api; net: NetworkingV1Api; version: VersionApi } {
    if (!this.apis) {
      const config = createConfiguration({ baseServer: this.server, httpApi: this.transport.library, authMethods: {} });
      this.apis = { core: new CoreV1Api(config), net: new NetworkingV1Api(config), version: new VersionApi(config) };
    }
    return this.apis;
  }

  private get core(): CoreV1Api {
    return this.generated.core;
  }

  private get net(): NetworkingV1Api {
    return this.generated.net;
  }

  private get versionApi(): VersionApi {
    return this.generated.version;
  }

  /** The server's `/version`. Cheap; what the cluster probe calls. */
  version(): Promise<VersionInfo> {
    return this.call(() => this.versionApi.getCodeWithHttpInfo());
  }

  async listNamespaces(labelSelector?: string): Promise<Namespace[]> {
    return this.collect<Namespace>((cont) => this.call(() => this.core.listNamespaceWithHttpInfo({ labelSelector, limit: this.pageSize, _continue: cont })));
  }

  getNamespace(name: string): Promise<Namespace> {
    return this.call(() => this.core.readNamespaceWithHttpInfo({ name }));
  }

  createNamespace(name: string, labels?: Record<string, string>): Promise<Namespace> {
    return this.call(() => this.core.createNamespaceWithHttpInfo({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } }));
  }

  async deleteNamespace(name: string): Promise<void> {
    await this.call(() => this.core.deleteNamespaceWithHttpInfo({ name }));
  }

  /** All NetworkPolicies matching, following `continue` until the last page. */
  listNetworkPolicies(opts: ListOptions = {}): Promise<NetworkPolicy[]> {
    return this.collect<NetworkPolicy>((cont) => this.listNetworkPoliciesPage({ ...opts, limit: this.pageSize, continue: cont }));
  }

  /** One page of NetworkPolicies (for callers that page themselves). */
  listNetworkPoliciesPage(opts: ListOptions & { limit?: number; continue?: string }): Promise<ListPage<NetworkPolicy>> {
    const path = opts.namespace ? `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(opts.namespace)}/networkpolicies` : '/apis/networking.k8s.io/v1/networkpolicies';
    return this.listPage<NetworkPolicy>(path, opts);
  }

  /** One page of any collection, by its path (e.g. `/api/v1/namespaces`), as plain JSON. */
  listPage<T>(path: string, opts: { labelSelector?: string; fieldSelector?: string; limit?: number; continue?: string } = {}): Promise<ListPage<T>> {
    return this.raw<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>(HttpMethod.GET, path, {
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      limit: opts.limit === undefined ? undefined : String(opts.limit),
      continue: opts.continue,
    }).then((list) => ({ items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion, continue: list.metadata?.continue || undefined }));
  }

  /**
   * A long-lived `GET` (a watch) over the stream pool: HTTP/2 streams multiplexed on one
   * connection when the server offers h2, else a socket of its own. The caller reads and closes it.
   */
  stream(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<KubeStream> {
    const base = new URL(this.conn.server.replace(/\/+$/, ''));
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, v);
    const qs = search.toString();
    return this.streams.open(this.conn, `${base.pathname.replace(/\/+$/, '')}${path}${qs ? `?${qs}` : ''}`, signal);
  }

  /** `host:port` of the API server (for messages). */
  get target(): string {
    return this.transport.target;
  }

  getNetworkPolicy(namespace: string, name: string): Promise<NetworkPolicy> {
    return this.call(() => this.net.readNamespacedNetworkPolicyWithHttpInfo({ namespace, name }));
  }

  /** Like `getNetworkPolicy`, but `undefined` instead of a not-found error. */
  async findNetworkPolicy(namespace: string, name: string): Promise<NetworkPolicy | undefined> {
    try {
      return await this.getNetworkPolicy(namespace, name);
    } catch (err) {
      if (err instanceof KubeApiError && err.kind === 'not-found') return undefined;
      throw err;
    }
  }

  /** Server-side apply: `PATCH …?fieldManager=…&force=…` with `application/apply-patch+yaml`. */
  applyNetworkPolicy(policy: NetworkPolicyInput, opts: ApplyOptions): Promise<NetworkPolicy> {
    const { name, namespace } = policy.metadata;
    if (!name || !namespace) {
      return Promise.reject(new KubeApiError({ kind: 'invalid', message: 'applyNetworkPolicy needs metadata.name and metadata.namespace' }));
    }
    const body = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', ...policy };
    return this.raw(
      HttpMethod.PATCH,
      `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/networkpolicies/${encodeURIComponent(name)}`,
      { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, force: String(opts.force ?? false) },
      { contentType: PatchStrategy.ServerSideApply, text: JSON.stringify(body) },
    );
  }

  createNetworkPolicy(policy: NetworkPolicyInput, opts: { fieldManager?: string; dryRun?: boolean } = {}): Promise<NetworkPolicy> {
    const namespace = policy.metadata.namespace ?? '';
    const body = toClientShape(policy);
    return this.call(() => this.net.createNamespacedNetworkPolicyWithHttpInfo({ namespace, body, fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined }));
  }

  /** PUT; the server answers 409 when `metadata.resourceVersion` is stale. */
  replaceNetworkPolicy(policy: NetworkPolicyInput, opts: { fieldManager?: string; dryRun?: boolean } = {}): Promise<NetworkPolicy> {
    const namespace = policy.metadata.namespace ?? '';
    const name = policy.metadata.name ?? '';
    const body = toClientShape(policy);
    return this.call(() => this.net.replaceNamespacedNetworkPolicyWithHttpInfo({ namespace, name, body, fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined }));
  }

  /** JSON merge patch (`type: 'merge'`) or JSON patch (`type: 'json'`). */
  patchNetworkPolicy(namespace: string, name: string, patch: Patch, opts: { fieldManager?: string; dryRun?: boolean } = {}): Promise<NetworkPolicy> {
    const contentType = patch.type === 'merge' ? PatchStrategy.MergePatch : PatchStrategy.JsonPatch;
    return this.call(() =>
      this.net.patchNamespacedNetworkPolicyWithHttpInfo(
        { namespace, name, body: patch.patch, fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined },
        setHeaderOptions('Content-Type', contentType),
      ),
    );
  }

  async deleteNetworkPolicy(namespace: string, name: string, opts: { dryRun?: boolean } = {}): Promise<void> {
    await this.call(() => this.net.deleteNamespacedNetworkPolicyWithHttpInfo({ namespace, name, dryRun: opts.dryRun ? 'All' : undefined }));
  }

  /** Frees the cluster's pooled sockets. */
  close(): void {
    this.transport.close();
    if (this.ownsStreams) this.streams.close();
  }

  private async collect<T>(page: (cont: string | undefined) => Promise<ListPage<T> | { items?: T[]; metadata?: { continue?: string } }>): Promise<T[]> {
    const out: T[] = [];
    let cont: string | undefined;
    for (let i = 0; i < 100_000; i++) {
      const res = await page(cont);
      out.push(...(res.items ?? []));
      cont = 'continue' in res ? res.continue : (res as { metadata?: { continue?: string } }).metadata?.continue || undefined;
      if (!cont) return out;
    }
    throw new KubeApiError({ kind: 'unknown', message: `listing on ${this.transport.target} did not end after 100000 pages` });
  }

  /**
   * The hot paths (list and apply, many times per rollout target) as plain JSON over the same
   * transport, without the generated code's model classes: it would serialize the body through
   * them and deserialize every response into them, only for `call` to parse the text again.
   */
  private async raw<T>(method: HttpMethod, path: string, query: Record<string, string | undefined>, body?: { contentType: string; text: string }): Promise<T> {
    const ctx = this.server.makeRequestContext(path, method);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) ctx.setQueryParam(k, v);
    if (body) {
      ctx.setHeaderParam('Content-Type', body.contentType);
      ctx.setBody(body.text);
    }
    let text: string;
    let status: number;
    let headers: Record<string, string>;
    try {
      const res = await this.transport.send(ctx);
      status = res.httpStatusCode;
      headers = res.headers;
      text = await res.body.text();
    } catch (err) {
      throw this.toError(err);
    }
    if (status < 200 || status > 299) throw httpError(status, status === 401 ? undefined : text, headers, this.transport.target);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubeApiError({ kind: 'unknown', message: `${this.transport.target} sent a response that is not JSON` });
    }
  }

  private async call<T>(fn: () => Promise<RawInfo>): Promise<T> {
    let info: RawInfo;
    try {
      info = await fn();
    } catch (err) {
      throw this.toError(err);
    }
    const text = await info.body.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubeApiError({ kind: 'unknown', message: `${this.transport.target} sent a response that is not JSON` });
    }
  }

  private toError(err: unknown): KubeApiError {
    if (err instanceof KubeApiError) return err;
    if (err instanceof ApiException) {
      const e = err as ApiException<unknown>;
      return httpError(e.code, typeof e.body === 'string' ? e.body : undefined, e.headers ?? {}, this.transport.target);
    }
    return new KubeApiError({ kind: 'unknown', message: `request to ${this.transport.target} failed: ${(err as Error)?.message ?? String(err)}`, cause: err });
  }
}
