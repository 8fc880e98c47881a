import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError, KubeClient, connectionFromKubeconfig, kubeconfigFromConnection, withRetry } from '@fleetgate/kube';
import { generateTls } from '@fleetgate/kube-sim';

// libs/kube over real HTTPS against a tiny stand-in API server (the simulator suite covers the rest).
let server: https.Server;
let port: number;
let caPem: string;
let otherCaPem: string;
let hits429 = 0;

const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(async () => {
  const tls = await generateTls();
  caPem = tls.caPem;
  otherCaPem = (await generateTls({ commonName: 'other' })).caPem;
  server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    if (req.headers.authorization !== 'Bearer good') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
      return;
    }
    if (req.url === '/hang/version') return; // never answers
    if (req.url === '/throttle/version' && hits429++ === 0) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'TooManyRequests', code: 429, message: 'slow down' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0-sim' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const conn = (over: Partial<Parameters<typeof kubeconfigFromConnection>[0]> = {}) => ({ server: `https://127.0.0.1:${port}`, caData: b64(caPem), token: 'good', ...over });

describe('KubeClient transport (minimal server)', () => {
  it('reads /version over TLS verified against the CA from a kubeconfig', async () => {
    const c = new KubeClient(connectionFromKubeconfig(kubeconfigFromConnection(conn(), 'x')));
    await expect(c.version()).resolves.toMatchObject({ gitVersion: 'v1.32.0-sim' });
    c.close();
  });

  it('classifies a wrong CA, a hostname mismatch and a wrong token', async () => {
    const wrongCa = new KubeClient(conn({ caData: b64(otherCaPem) }));
    await expect(wrongCa.version()).rejects.toMatchObject({ kind: 'tls', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const wrongHost = new KubeClient(conn({ tlsServerName: 'api.example.com' }));
    await expect(wrongHost.version()).rejects.toMatchObject({ kind: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const badToken = new KubeClient(conn({ token: 'rotated' }));
    await expect(badToken.version()).rejects.toMatchObject({ kind: 'unauthorized', status: 401, retryable: false });
    for (const c of [wrongCa, wrongHost, badToken]) c.close();
  });

  it('classifies a refused connection and a DNS failure', async () => {
    const free = await new Promise<number>((r) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const down = new KubeClient(conn({ server: `https://127.0.0.1:${free}` }));
    await expect(down.version()).rejects.toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED', retryable: true });
    const dns = new KubeClient(conn({ server: 'https://no-such-host.invalid' }));
    const err = await dns.version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).kind).toBe('unreachable');
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain((err as KubeApiError).code);
    down.close();
    dns.close();
  });

  it('times out a hung request', async () => {
    const c = new KubeClient(conn({ server: `https://127.0.0.1:${port}/hang` }), { timeoutMs: 300 });
    const t0 = Date.now();
    await expect(c.version()).rejects.toMatchObject({ kind: 'timeout', retryable: true });
    expect(Date.now() - t0).toBeLessThan(2000);
    c.close();
  });

  it('retries a 429 after its Retry-After', async () => {
    const c = new KubeClient(conn({ server: `https://127.0.0.1:${port}/throttle` }));
    const waits: number[] = [];
    const v = await withRetry(() => c.version(), { onRetry: (_e, _n, ms) => waits.push(ms) });
    expect(v.gitVersion).toBe('v1.32.0-sim');
    expect(waits).toEqual([1000]);
    c.close();
  });
});
