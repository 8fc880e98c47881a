import { parse, stringify } from 'yaml';

/** Everything needed to reach one cluster's API server. Secrets live only here. */
export interface ClusterConnection {
  server: string;
  /** base64 of the PEM CA bundle (kubeconfig `certificate-authority-data`). */
  caData?: string;
  token?: string;
  /** base64 PEM (kubeconfig `client-certificate-data`). */
  clientCertData?: string;
  /** base64 PEM (kubeconfig `client-key-data`). */
  clientKeyData?: string;
  insecureSkipTLSVerify?: boolean;
  /** kubeconfig `tls-server-name`: the name the serving certificate is checked against. */
  tlsServerName?: string;
}

/** A kubeconfig fleetgate cannot use, with a message saying why and what to do. */
export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

type Named<T> = { name?: unknown; [k: string]: unknown } & Record<string, T>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function findNamed(list: unknown, name: string, what: string, field: string): Record<string, unknown> {
  if (!Array.isArray(list)) throw new KubeconfigError(`kubeconfig has no ${what}s list, but the context refers to ${what} "${name}"`);
  const entry = (list as Named<unknown>[]).find((e) => isRecord(e) && e.name === name);
  if (!entry) throw new KubeconfigError(`kubeconfig context refers to ${what} "${name}", which is not in its ${what}s list`);
  const body = entry[field];
  if (!isRecord(body)) throw new KubeconfigError(`kubeconfig ${what} "${name}" has no "${field}" section`);
  return body;
}

function str(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new KubeconfigError(`kubeconfig ${path} must be a string`);
  return v;
}

function checkPemData(data: string, path: string, label: RegExp): string {
  const clean = data.replace(/\s+/g, '');
  const text = Buffer.from(clean, 'base64').toString('utf8');
  if (!/^[A-Za-z0-9+/=]+$/.test(clean) || !label.test(text)) {
    throw new KubeconfigError(`kubeconfig ${path} is not base64-encoded PEM`);
  }
  return clean;
}

/**
 * Reads a kubeconfig (YAML or JSON) and returns the connection of its current context, or of its
 * only context. Refuses what fleetgate cannot store and replay on another machine: exec and
 * auth-provider plugins, file references, basic auth.
 */
export function connectionFromKubeconfig(yaml: string): ClusterConnection {
  let doc: unknown;
  try {
    doc = parse(yaml);
  } catch (err) {
    throw new KubeconfigError(`kubeconfig is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(doc)) throw new KubeconfigError('kubeconfig must be a YAML mapping with clusters, users and contexts');
  if (doc.kind !== undefined && doc.kind !== 'Config') throw new KubeconfigError(`kubeconfig kind must be "Config", not "${String(doc.kind)}"`);
  const contexts = Array.isArray(doc.contexts) ? (doc.contexts as unknown[]).filter(isRecord) : [];
  if (contexts.length === 0) throw new KubeconfigError('kubeconfig has no contexts');
  const current = str(doc['current-context'], 'current-context');
  let ctx: Record<string, unknown> | undefined;
  if (current) {
    ctx = contexts.find((c) => c.name === current);
    if (!ctx) throw new KubeconfigError(`kubeconfig current-context "${current}" is not in its contexts list`);
  } else if (contexts.length === 1) {
    ctx = contexts[0];
  } else {
    const names = contexts.map((c) => String(c.name)).join(', ');
    throw new KubeconfigError(`kubeconfig has ${contexts.length} contexts (${names}) and no current-context; set current-context or keep exactly one context`);
  }
  const context = ctx?.context;
  if (!isRecord(context)) throw new KubeconfigError(`kubeconfig context "${String(ctx?.name)}" has no "context" section`);
  const clusterName = str(context.cluster, 'context.cluster');
  if (!clusterName) throw new KubeconfigError(`kubeconfig context "${String(ctx?.name)}" names no cluster`);
  const cluster = findNamed(doc.clusters, clusterName, 'cluster', 'cluster');

  const server = str(cluster.server, `cluster "${clusterName}" server`);
  if (!server) throw new KubeconfigError(`kubeconfig cluster "${clusterName}" has no server URL`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeconfigError(`kubeconfig cluster "${clusterName}" server "${server}" is not a URL`);
  }
  if (url.protocol !== 'https:') throw new KubeconfigError(`kubeconfig cluster "${clusterName}" server must use https://, got ${url.protocol}//`);
  if (cluster['certificate-authority'] !== undefined) {
    throw new KubeconfigError(`kubeconfig cluster "${clusterName}" refers to a certificate-authority file; embed it as certificate-authority-data instead`);
  }
  if (cluster['proxy-url'] !== undefined) throw new KubeconfigError(`kubeconfig cluster "${clusterName}" uses proxy-url, which fleetgate does not support`);
  const conn: ClusterConnection = { server: server.replace(/\/+$/, '') };
  const caData = str(cluster['certificate-authority-data'], 'certificate-authority-data');
  if (caData) conn.caData = checkPemData(caData, `cluster "${clusterName}" certificate-authority-data`, /-----BEGIN CERTIFICATE-----/);
  const insecure = cluster['insecure-skip-tls-verify'];
  if (insecure !== undefined && typeof insecure !== 'boolean') throw new KubeconfigError('kubeconfig insecure-skip-tls-verify must be true or false');
  if (insecure === true) conn.insecureSkipTLSVerify = true;
  const tlsServerName = str(cluster['tls-server-name'], 'tls-server-name');
  if (tlsServerName) conn.tlsServerName = tlsServerName;

  const userName = str(context.user, 'context.user');
  if (userName) {
    const user = findNamed(doc.users, userName, 'user', 'user');
    if (user.exec !== undefined) {
      const cmd = isRecord(user.exec) && typeof user.exec.command === 'string' ? ` ("${user.exec.command}")` : '';
      throw new KubeconfigError(`kubeconfig user "${userName}" gets its credentials from an exec plugin${cmd}; fleetgate cannot run plugins: give it a kubeconfig with a bearer token or a client certificate (e.g. a ServiceAccount token)`);
    }
    if (user['auth-provider'] !== undefined) {
      const name = isRecord(user['auth-provider']) && typeof user['auth-provider'].name === 'string' ? ` ("${user['auth-provider'].name}")` : '';
      throw new KubeconfigError(`kubeconfig user "${userName}" uses an auth-provider plugin${name}; fleetgate cannot run plugins: give it a kubeconfig with a bearer token or a client certificate`);
    }
    for (const fileKey of ['tokenFile', 'client-certificate', 'client-key']) {
      if (user[fileKey] !== undefined) throw new KubeconfigError(`kubeconfig user "${userName}" refers to a file (${fileKey}); embed the credential (token, client-certificate-data, client-key-data) instead`);
    }
    if (user.username !== undefined || user.password !== undefined) {
      throw new KubeconfigError(`kubeconfig user "${userName}" uses basic auth (username/password), which fleetgate does not support; use a bearer token or a client certificate`);
    }
    const token = str(user.token, `user "${userName}" token`);
    if (token) conn.token = token.trim();
    const certData = str(user['client-certificate-data'], 'client-certificate-data');
    const keyData = str(user['client-key-data'], 'client-key-data');
    if ((certData === undefined) !== (keyData === undefined)) {
      throw new KubeconfigError(`kubeconfig user "${userName}" must have both client-certificate-data and client-key-data, or neither`);
    }
    if (certData && keyData) {
      conn.clientCertData = checkPemData(certData, `user "${userName}" client-certificate-data`, /-----BEGIN CERTIFICATE-----/);
      conn.clientKeyData = checkPemData(keyData, `user "${userName}" client-key-data`, /-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    }
  }
  return conn;
}

/** A kubeconfig with one cluster, user and context, all named `name`, current. */
export function kubeconfigFromConnection(conn: ClusterConnection, name: string): string {
  const cluster: Record<string, unknown> = { server: conn.server };
  if (conn.caData) cluster['certificate-authority-data'] = conn.caData;
  if (conn.insecureSkipTLSVerify) cluster['insecure-skip-tls-verify'] = true;
  if (conn.tlsServerName) cluster['tls-server-name'] = conn.tlsServerName;
  const user: Record<string, unknown> = {};
  if (conn.token) user.token = conn.token;
  if (conn.clientCertData) user['client-certificate-data'] = conn.clientCertData;
  if (conn.clientKeyData) user['client-key-data'] = conn.clientKeyData;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  });
}
