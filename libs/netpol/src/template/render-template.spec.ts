import { describe, expect, it } from 'vitest';
import { renderTemplate } from './render-template.js';
import type { PolicyTemplate, TemplateContext } from './template.types.js';

const context = (params: Record<string, unknown> = {}): TemplateContext => ({
  cluster: {
    name: 'abc123',
    labels: { env: 'prod' },
    networks: { pods: ['172.25.0.0/16'], services: ['10.240.16.0/20'], nodes: ['10.250.0.0/16'] },
    controlPlaneNamespace: 'cluster-abc123',
  },
  seed: { name: 'seed-1', networks: { pods: ['10.1.0.0/16'], services: ['10.2.0.0/16'], nodes: ['10.3.0.0/16'] }, blockedCIDRs: ['169.254.169.254/32'] },
  namespace: 'cluster-abc123',
  params,
});

const allowPort: PolicyTemplate = {
  name: 'test/allow-port',
  description: 'allows one port from a CIDR',
  parameters: [
    { name: 'port', type: 'port', default: 443 },
    { name: 'source', type: 'cidr', required: true },
    { name: 'podLabels', type: 'labels', default: { app: 'web' } },
    { name: 'except', type: 'cidrList', default: [] },
  ],
  policy: {
    metadata: { name: 'allow-${params.port}-${cluster.name}' },
    spec: {
      podSelector: { matchLabels: { $eval: 'params.podLabels' } },
      ingress: [{ from: [{ ipBlock: { cidr: { $eval: 'params.source' }, except: { $eval: 'params.except' } } }], ports: [{ port: { $eval: 'params.port' } }] }],
    },
  },
};

describe('renderTemplate', () => {
  it('renders with defaults and given values, filling the namespace', () => {
    const result = renderTemplate(allowPort, context({ source: '10.0.0.0/8' }));
    expect(result).toEqual({
      ok: true,
      policies: [
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'allow-443-abc123', namespace: 'cluster-abc123' },
          spec: {
            podSelector: { matchLabels: { app: 'web' } },
            ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: [] } }], ports: [{ port: 443 }] }],
          },
        },
      ],
    });
  });

  it('names a missing required parameter', () => {
    const result = renderTemplate(allowPort, context());
    expect(result).toEqual({
      ok: false,
      errors: [{ template: 'test/allow-port', field: 'params.source', parameter: 'source', message: 'Required value: parameter "source" (cidr) has no value and no default' }],
    });
  });

  it.each([
    [{ source: '10.0.0.0/33' }, 'params.source', 'Invalid value: "10.0.0.0/33": not a valid CIDR'],
    [{ source: '10.0.0.0/8', port: 70000 }, 'params.port', 'Invalid value: 70000: must be between 1 and 65535, inclusive'],
    [{ source: '10.0.0.0/8', port: 'HTTPS' }, 'params.port', 'Invalid value: "HTTPS": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    [{ source: '10.0.0.0/8', except: ['x'] }, 'params.except[0]', 'Invalid value: "x": not a valid CIDR'],
    [{ source: '10.0.0.0/8', except: '10.0.0.0/9' }, 'params.except', 'Invalid value: string: must be a list of CIDRs'],
    [{ source: '10.0.0.0/8', podLabels: { app: 'a b' } }, 'params.podLabels', 'Invalid value: "a b": a valid label must be'],
    [{ source: '10.0.0.0/8', extra: 1 }, 'params.extra', 'Invalid value: extra: not a declared parameter'],
  ])('type-checks parameter values (%j)', (params, field, message) => {
    const result = renderTemplate(allowPort, context(params));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.field).toBe(field);
    expect(result.errors[0]?.message.startsWith(message)).toBe(true);
  });

  it.each([
    ['int', 1.5, 'must be an integer'],
    ['namespaceName', 'Kube_System', 'a lowercase RFC 1123 label'],
    ['string', 5, 'must be a string'],
  ] as const)('checks %s values', (type, value, message) => {
    const template: PolicyTemplate = { name: 't', description: '', parameters: [{ name: 'p', type }], policy: null };
    const result = renderTemplate(template, context({ p: value }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toContain(message);
  });

  it('rejects an invalid declaration default', () => {
    const template: PolicyTemplate = { name: 't', description: '', parameters: [{ name: 'p', type: 'cidr', default: 'nope' }], policy: null };
    const result = renderTemplate(template, context());
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'parameters[0].default', message: 'Invalid value: "nope": not a valid CIDR' }] });
  });

  it('reports a json-e error with its place in the template', () => {
    const template: PolicyTemplate = { name: 't', description: '', policy: { metadata: { name: { $eval: 'cluster.missing.name' } }, spec: { podSelector: {} } } };
    const result = renderTemplate(template, context());
    expect(result).toMatchObject({ ok: false, errors: [{ template: 't', field: 'template.metadata.name' }] });
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/^InterpreterError: /);
  });

  it('validates the rendered policy and names the field', () => {
    const result = renderTemplate(allowPort, context({ source: '10.0.0.0/8', except: ['11.0.0.0/16'] }));
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          template: 'test/allow-port',
          field: 'policies[0].spec.ingress[0].from[0].ipBlock.except[0]',
          message: 'Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
        },
      ],
    });
  });

  it('can render several policies or none, and call the CIDR helpers', () => {
    const template: PolicyTemplate = {
      name: 'multi',
      description: '',
      policy: {
        $map: ['10.0.0.0/8', '192.168.0.0/16'],
        'each(r,i)': {
          metadata: { name: 'private-${i}' },
          spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: { $eval: 'r' }, except: { $eval: 'cidrsWithin(concat(cluster.networks.nodes, cluster.networks.services), r)' } } }] }] },
        },
      },
    };
    const result = renderTemplate(template, context());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policies.map((p) => p.spec.egress?.[0]?.to?.[0]?.ipBlock)).toEqual([
      { cidr: '10.0.0.0/8', except: ['10.250.0.0/16', '10.240.16.0/20'] },
      { cidr: '192.168.0.0/16', except: [] },
    ]);
    expect(renderTemplate({ name: 'none', description: '', policy: null }, context())).toEqual({ ok: true, policies: [] });
  });

  it('rejects a render that is not an object', () => {
    const result = renderTemplate({ name: 's', description: '', policy: 'text' }, context());
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'policies[0]' }] });
  });
});
