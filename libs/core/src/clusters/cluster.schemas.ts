import { z } from 'zod';
import { formatCidr, parseCidr } from '@fleetgate/netpol';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

export const dns1123Label = z
  .string()
  .max(63, { message: 'must be at most 63 characters' })
  .regex(DNS1123_LABEL, {
    message: "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  });

export const clusterName = dns1123Label.refine((v) => !isUuid(v), { message: 'must not look like a UUID (ids and names share one URL slot)' });

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return `label key "${key}": prefix must be a DNS-1123 subdomain`;
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return `label key "${key}": name must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character`;
  }
  return undefined;
}

export const labelsSchema = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    if (value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: "label value must be empty or 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric character",
      });
    }
  }
});

/** A CIDR in canonical form (`10.0.0.0/8`, not `10.0.0.1/8`), IPv4 or IPv6, parsed as the API server does. */
export const cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid CIDR (e.g. 10.0.0.0/16)` });
    return;
  }
  if (parsed.network !== parsed.address) {
    ctx.addIssue({ code: 'custom', message: `"${value}" has host bits set; did you mean ${formatCidr(parsed)}?` });
  }
});

export const networksSchema = z.strictObject({
  pods: cidr.optional(),
  services: cidr.optional(),
  nodes: cidr.optional(),
});

const base64Pem = z
  .string()
  .min(1)
  .refine(
    (v) => {
      const clean = v.replace(/\s+/g, '');
      return /^[A-Za-z0-9+/]+={0,2}$/.test(clean) && Buffer.from(clean, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----');
    },
    { message: 'must be a base64-encoded PEM certificate bundle' },
  );

/**
 * Credentials: either `{kubeconfig}` (one context) or `{server, caData?, token,
 * insecureSkipTLSVerify?}`. Checked field by field so errors point at the bad member.
 */
export const credentialsSchema = z
  .strictObject({
    kubeconfig: z.string().min(1).max(1_000_000).optional(),
    server: z
      .url({ protocol: /^https$/, message: 'must be an https:// URL of the API server' })
      .max(2048)
      .optional(),
    caData: base64Pem.optional(),
    token: z.string().min(1).max(16_384).optional(),
    insecureSkipTLSVerify: z.boolean().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.kubeconfig !== undefined) {
      for (const extra of ['server', 'caData', 'token', 'insecureSkipTLSVerify'] as const) {
        if (c[extra] !== undefined) ctx.addIssue({ code: 'custom', path: [extra], message: 'give either kubeconfig or server + token, not both' });
      }
      return;
    }
    if (c.server === undefined) ctx.addIssue({ code: 'custom', path: ['server'], message: 'is required when no kubeconfig is given' });
    if (c.token === undefined) ctx.addIssue({ code: 'custom', path: ['token'], message: 'is required when no kubeconfig is given' });
  });
export type CredentialsInput = z.input<typeof credentialsSchema>;

export const registerClusterSchema = z.strictObject({
  name: clusterName,
  role: z.enum(['seed', 'user'], { message: 'must be "seed" or "user"' }),
  seed: z.string().min(1).max(255).optional().nullable(),
  controlPlaneNamespace: dns1123Label.optional().nullable(),
  labels: labelsSchema.default({}),
  credentials: credentialsSchema,
  networks: networksSchema.default({}),
  blockedCIDRs: z.array(cidr).max(256).default([]),
  /** explicit gate values (KKP spec.features); the seed's defaulting template fills the others */
  featureGates: z.record(z.string(), z.boolean({ message: 'must be true or false' })).default({}),
});
export type RegisterClusterInput = z.input<typeof registerClusterSchema>;
export type RegisterClusterData = z.output<typeof registerClusterSchema>;

export const updateClusterSchema = z.strictObject({
  labels: labelsSchema.optional(),
  credentials: credentialsSchema.optional(),
  networks: networksSchema.optional(),
  blockedCIDRs: z.array(cidr).max(256).optional(),
  controlPlaneNamespace: dns1123Label.optional(),
});
export type UpdateClusterInput = z.input<typeof updateClusterSchema>;

export const listClustersSchema = z.strictObject({
  labelSelector: z.string().max(4096).optional(),
  role: z.enum(['seed', 'user'], { message: 'must be "seed" or "user"' }).optional(),
  seed: z.string().min(1).max(255).optional(),
  limit: z.union([z.number(), z.string()]).optional(),
  cursor: z.string().min(1).max(1024).optional(),
});
export type ListClustersInput = z.input<typeof listClustersSchema>;
