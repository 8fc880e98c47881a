import { KUBERNETES_DOCS_EXAMPLE_POLICY, type NetworkPolicy, type QueryResult } from '@fleetgate/netpol';
import { z } from 'zod';

/** REST shapes of the NetworkPolicy checks (issue 3). The service's results are already API-shaped. */
export interface NetworkPolicyValidationDto {
  valid: true;
  defaulted: NetworkPolicy;
}

export interface ReachabilityReportDto {
  results: QueryResult[];
}

const protocol = z.enum(['TCP', 'UDP', 'SCTP']);
const labels = z.record(z.string(), z.string());
/** A NetworkPolicy is checked by the service with the API server's rules; OpenAPI only sketches it. */
const networkPolicy = z
  .object({
    apiVersion: z.literal('networking.k8s.io/v1').optional(),
    kind: z.literal('NetworkPolicy').optional(),
    metadata: z.object({ name: z.string(), namespace: z.string() }).loose(),
    spec: z.object({ podSelector: z.object({}).loose() }).loose(),
  })
  .loose();

/** For OpenAPI only. */
export const networkPolicyBodySchema = networkPolicy;
export const validationDtoSchema = z.object({ valid: z.literal(true), defaulted: networkPolicy });

export const reachabilityBodySchema = z.object({
  namespaces: z.array(z.object({ name: z.string(), labels: labels.optional() })).max(200),
  pods: z
    .array(
      z.object({
        namespace: z.string(),
        name: z.string(),
        labels: labels.optional(),
        ip: z.string().optional().describe('pod IP; ipBlock peers match pods by it'),
        ports: z.array(z.object({ name: z.string().optional(), containerPort: z.number().int().min(1).max(65535), protocol: protocol.optional() })).optional(),
      }),
    )
    .max(500),
  policies: z.array(networkPolicy).max(200),
  queries: z
    .array(
      z.object({
        from: z.string().describe('a pod (namespace/name) or an IP address'),
        to: z.string().describe('a pod (namespace/name) or an IP address'),
        port: z.union([z.number().int().min(1).max(65535), z.string()]).describe('a number, or a port name resolved on the destination pod'),
        protocol: protocol.optional().describe('default TCP'),
      }),
    )
    .max(5000)
    .optional()
    .describe('default: every ordered pod pair on every container port the destination declares (at most 5000)'),
});

const verdict = z.object({
  enforced: z.boolean().describe('false when that end is not a pod'),
  isolated: z.boolean(),
  isolatedBy: z.array(z.string()),
  allowedBy: z.array(z.object({ policy: z.string(), direction: z.enum(['ingress', 'egress']), rule: z.number().int() })),
  allowed: z.boolean(),
});
export const reachabilityDtoSchema = z.object({
  results: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      port: z.union([z.number().int(), z.string()]),
      protocol,
      allowed: z.boolean(),
      explanation: z.object({ egress: verdict, ingress: verdict, summary: z.string() }),
    }),
  ),
});


/** The example policy of the Kubernetes documentation ("Network Policies"). */
export const examplePolicy = KUBERNETES_DOCS_EXAMPLE_POLICY;

export const exampleInvalidProblem = {
  type: 'https://fleetgate.dev/problems/invalid-policy',
  title: 'Invalid policy',
  status: 422,
  detail: 'NetworkPolicy.networking.k8s.io "test-network-policy" is invalid: [spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "172.17.0.0/33": not a valid CIDR, spec.ingress[0].ports[0].protocol: Unsupported value: "SCTPX": supported values: "TCP", "UDP", "SCTP"]',
  errors: [
    { field: 'spec.ingress[0].from[0].ipBlock.cidr', message: 'Invalid value: "172.17.0.0/33": not a valid CIDR' },
    { field: 'spec.ingress[0].ports[0].protocol', message: 'Unsupported value: "SCTPX": supported values: "TCP", "UDP", "SCTP"' },
  ],
};

export const exampleReachabilityBody = {
  namespaces: [{ name: 'default' }, { name: 'myproject-ns', labels: { project: 'myproject' } }],
  pods: [
    { namespace: 'default', name: 'db', labels: { role: 'db' }, ip: '172.17.0.10', ports: [{ name: 'redis', containerPort: 6379 }] },
    { namespace: 'default', name: 'frontend', labels: { role: 'frontend' }, ip: '172.17.0.11' },
    { namespace: 'default', name: 'backend', labels: { role: 'backend' }, ip: '172.17.0.12' },
  ],
  policies: [examplePolicy],
  queries: [
    { from: 'default/frontend', to: 'default/db', port: 6379 },
    { from: 'default/backend', to: 'default/db', port: 'redis' },
  ],
};

export const exampleReachabilityResult = {
  results: [
    {
      from: 'default/frontend',
      to: 'default/db',
      port: 6379,
      protocol: 'TCP',
      allowed: true,
      explanation: {
        egress: { enforced: true, isolated: false, isolatedBy: [], allowedBy: [], allowed: true },
        ingress: { enforced: true, isolated: true, isolatedBy: ['default/test-network-policy'], allowedBy: [{ policy: 'default/test-network-policy', direction: 'ingress', rule: 0 }], allowed: true },
        summary: 'allowed: egress from default/frontend: not isolated (no Egress policy selects it); ingress to default/db: allowed by default/test-network-policy ingress[0]',
      },
    },
  ],
};
