import { describe, expect, it } from 'vitest';
import { KubeconfigError, connectionFromKubeconfig, kubeconfigFromConnection } from './connection.js';

const ca = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const key = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n').toString('base64');

function kc(users: string, extra = '', current = 'current-context: a') {
  return `apiVersion: v1
kind: Config
${current}
clusters:
- name: a
  cluster:
    server: https://127.0.0.1:6443/clusters/a/
    certificate-authority-data: ${ca}
${extra}
contexts:
- name: a
  context: { cluster: a, user: a }
users:
- name: a
  user:
${users}
`;
}

describe('connectionFromKubeconfig', () => {
  it('reads server, CA and token of the current context', () => {
    const c = connectionFromKubeconfig(kc('    token: abc'));
    expect(c).toEqual({ server: 'https://127.0.0.1:6443/clusters/a', caData: ca, token: 'abc' });
  });

  it('uses the only context when current-context is missing', () => {
    expect(connectionFromKubeconfig(kc('    token: abc', '', '')).token).toBe('abc');
  });

  it('refuses several contexts without a current one, naming them', () => {
    const y = `contexts:
- {name: x, context: {cluster: a, user: a}}
- {name: y, context: {cluster: a, user: a}}
clusters: [{name: a, cluster: {server: "https://h"}}]
users: [{name: a, user: {token: t}}]`;
    expect(() => connectionFromKubeconfig(y)).toThrow(/2 contexts \(x, y\) and no current-context/);
  });

  it('refuses exec and auth-provider plugins with a clear message', () => {
    expect(() => connectionFromKubeconfig(kc('    exec:\n      command: aws\n      apiVersion: client.authentication.k8s.io/v1'))).toThrow(/exec plugin \("aws"\).*bearer token or a client certificate/);
    expect(() => connectionFromKubeconfig(kc('    auth-provider:\n      name: gcp'))).toThrow(/auth-provider plugin \("gcp"\)/);
  });

  it('refuses file references, basic auth, http and broken YAML', () => {
    expect(() => connectionFromKubeconfig(kc('    tokenFile: /var/run/token'))).toThrow(/refers to a file \(tokenFile\)/);
    expect(() => connectionFromKubeconfig(kc('    username: u\n    password: p'))).toThrow(/basic auth/);
    expect(() => connectionFromKubeconfig(kc('    token: t').replace('https://', 'http://'))).toThrow(/must use https/);
    expect(() => connectionFromKubeconfig('a: [')).toThrow(KubeconfigError);
    expect(() => connectionFromKubeconfig(kc('    token: t', '', 'current-context: zz'))).toThrow(/current-context "zz" is not in its contexts/);
  });

  it('checks that CA and client certificate data are base64 PEM', () => {
    expect(() => connectionFromKubeconfig(kc('    token: t').replace(ca, Buffer.from('hello').toString('base64')))).toThrow(/certificate-authority-data is not base64-encoded PEM/);
    expect(() => connectionFromKubeconfig(kc(`    client-certificate-data: ${ca}`))).toThrow(/both client-certificate-data and client-key-data/);
    const c = connectionFromKubeconfig(kc(`    client-certificate-data: ${ca}\n    client-key-data: ${key}`));
    expect(c.clientCertData).toBe(ca);
    expect(c.clientKeyData).toBe(key);
  });

  it('round-trips through kubeconfigFromConnection', () => {
    const conn = { server: 'https://10.0.0.1:6443', caData: ca, token: 'secret', insecureSkipTLSVerify: true };
    const yaml = kubeconfigFromConnection(conn, 'prod-1');
    expect(yaml).toMatch(/current-context: prod-1/);
    expect(connectionFromKubeconfig(yaml)).toEqual(conn);
  });
});
