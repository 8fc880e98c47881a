// Factories for cluster registrations and a tiny HTTPS "API server" answering /version.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateTls, type SimTls } from '@fleetgate/kube-sim';

export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export interface TinyApiServer {
  url: string;
  tls: SimTls;
  token: string;
  /** requests seen: method, path, whether the bearer matched */
  seen: { path: string; authorized: boolean }[];
  close: () => Promise<void>;
}

/** An HTTPS server with a fresh CA that answers GET /version for `Bearer <token>` and 401 otherwise. */
export async function startTinyApiServer(options: { gitVersion?: string } = {}): Promise<TinyApiServer> {
  const tls = await generateTls({ commonName: 'tiny-test-ca' });
  const token = `tiny-${Math.random().toString(36).slice(2)}-secret-token`;
  const seen: TinyApiServer['seen'] = [];
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const authorized = req.headers.authorization === `Bearer ${token}`;
    seen.push({ path: req.url ?? '', authorized });
    res.setHeader('Content-Type', 'application/json');
    if (!authorized) {
      res.statusCode = 401;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
      return;
    }
    if (req.url === '/version') {
      res.end(JSON.stringify({ major: '1', minor: '31', gitVersion: options.gitVersion ?? 'v1.31.2', platform: 'linux/amd64' }));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    tls,
    token,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function kubeconfigFor(server: string, caPem: string, token: string, name = 'test'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${name}`,
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(caPem)}`,
    'users:',
    `- name: ${name}-user`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}-user`,
    '',
  ].join('\n');
}

let counter = 0;
/** A token-credential registration body; pass overrides for anything. */
export function seedBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    name: `seed-${counter}-${Math.random().toString(36).slice(2, 7)}`,
    role: 'seed',
    labels: { env: 'prod' },
    credentials: { server: 'https://127.0.0.1:1', token: `token-secret-${counter}-${Math.random().toString(36).slice(2)}` },
    networks: { pods: '10.244.0.0/16', services: '10.96.0.0/12', nodes: '10.0.0.0/24' },
    blockedCIDRs: ['169.254.169.254/32'],
    ...overrides,
  };
}
