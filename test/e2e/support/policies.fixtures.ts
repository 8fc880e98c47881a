// Factories for the policy tests: user-cluster registrations and a small valid template version.
let counter = 0;

export function userBody(seed: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    name: `u-${counter}-${Math.random().toString(36).slice(2, 7)}`,
    role: 'user',
    seed,
    labels: { env: 'prod' },
    credentials: { server: 'https://127.0.0.1:1', token: `user-token-${counter}-${Math.random().toString(36).slice(2)}` },
    networks: { pods: '172.25.0.0/16', services: '10.240.16.0/20' },
    ...overrides,
  };
}

/** A template version allowing ingress on a port parameter, into the namespace it lands in. */
export function portVersion(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    changelog: 'allow ingress on one port',
    parameters: [
      { name: 'port', type: 'port', default: 8080 },
      { name: 'appLabels', type: 'labels', default: { app: 'web' } },
    ],
    body: {
      metadata: { name: 'allow-web' },
      spec: {
        podSelector: { matchLabels: { $eval: 'params.appLabels' } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ protocol: 'TCP', port: { $eval: 'params.port' } }] }],
      },
    },
    ...overrides,
  };
}
