import { describe, expect, it } from 'vitest';
import { ALL_KINDS } from '../kinds.js';
import { namespaceKind, networkPolicyKind } from '../resources.js';
import { isSubset, messageFor } from '../protobuf/codec.js';
import { documentHash, openApiV2, openApiV3, openApiV3Discovery, parseComment } from './generate.js';

const KINDS = [namespaceKind, networkPolicyKind];
type S = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('OpenAPI v3 documents', () => {
  const doc = openApiV3(KINDS, 'networking.k8s.io/v1', 'v1.32.0') as S;
  const schemas = doc.components.schemas as S;

  it('marks the kinds with x-kubernetes-group-version-kind and carries apiVersion/kind', () => {
    const np = schemas['io.k8s.api.networking.v1.NetworkPolicy'];
    expect(np['x-kubernetes-group-version-kind']).toEqual([{ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' }]);
    expect(Object.keys(np.properties)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(np.properties.spec.allOf[0].$ref).toBe('#/components/schemas/io.k8s.api.networking.v1.NetworkPolicySpec');
    expect(schemas['io.k8s.api.networking.v1.NetworkPolicyList']['x-kubernetes-group-version-kind']).toEqual([{ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicyList' }]);
    expect(schemas['io.k8s.api.networking.v1.NetworkPolicyList'].required).toEqual(['items']);
  });

  it('takes types, required fields and list/patch extensions from the messages and their markers', () => {
    expect(schemas['io.k8s.api.networking.v1.IPBlock'].required).toEqual(['cidr']);
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement'].required).toEqual(['key', 'operator']);
    const spec = schemas['io.k8s.api.networking.v1.NetworkPolicySpec'];
    expect(spec.required).toBeUndefined();
    expect(spec.properties.policyTypes).toMatchObject({ type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'atomic' });
    expect(spec.properties.ingress.items).toEqual({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.networking.v1.NetworkPolicyIngressRule' }], default: {} });
    const port = schemas['io.k8s.api.networking.v1.NetworkPolicyPort'].properties;
    expect(port.endPort).toMatchObject({ type: 'integer', format: 'int32' });
    expect(port.port.allOf[0].$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    const meta = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties;
    expect(meta.ownerReferences).toMatchObject({ 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['uid'] });
    expect(meta.labels).toEqual(expect.objectContaining({ type: 'object', additionalProperties: { type: 'string', default: '' } }));
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']['x-kubernetes-map-type']).toBe('atomic');
  });

  it('has descriptions without the Go markers', () => {
    const d = schemas['io.k8s.api.networking.v1.NetworkPolicySpec'].properties.policyTypes.description as string;
    expect(d).toMatch(/^policyTypes is a list of rule types that the NetworkPolicy relates to\./);
    expect(d).not.toContain('+optional');
    expect(parseComment('a\nb\n\nc\n+optional\n+listType=atomic')).toEqual({ description: 'a b\n\nc', markers: new Map([['optional', ''], ['listType', 'atomic']]) });
  });

  it('documents the fieldValidation parameter on PATCH (how kubectl decides the server validates)', () => {
    const item = doc.paths['/apis/networking.k8s.io/v1/namespaces/{namespace}/networkpolicies/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' });
    expect(item.patch.parameters.map((p: S) => p.name)).toContain('fieldValidation');
    expect(Object.keys(item.patch.requestBody.content)).toContain('application/apply-patch+yaml');
    expect(Object.keys(doc.paths)).toEqual([
      '/apis/networking.k8s.io/v1/namespaces/{namespace}/networkpolicies',
      '/apis/networking.k8s.io/v1/namespaces/{namespace}/networkpolicies/{name}',
      '/apis/networking.k8s.io/v1/networkpolicies',
    ]);
    expect(Object.keys((openApiV3(KINDS, 'v1', 'v1.32.0') as S).paths)).toEqual(['/api/v1/namespaces', '/api/v1/namespaces/{name}']);
  });

  it('lists each group/version in the discovery document with the hash of its document', () => {
    const disc = openApiV3Discovery(KINDS, 'v1.32.0', '/clusters/a') as S;
    expect(Object.keys(disc.paths)).toEqual(['apis/networking.k8s.io/v1', 'api/v1']);
    expect(disc.paths['apis/networking.k8s.io/v1'].serverRelativeURL).toBe(`/clusters/a/openapi/v3/apis/networking.k8s.io/v1?hash=${documentHash(doc)}`);
  });
});

describe('OpenAPI v2', () => {
  it('uses definitions and body parameters', () => {
    const v2 = openApiV2(KINDS, 'v1.32.0') as S;
    expect(v2.swagger).toBe('2.0');
    expect(v2.definitions['io.k8s.api.networking.v1.NetworkPolicySpec'].properties.ingress.items).toEqual({ $ref: '#/definitions/io.k8s.api.networking.v1.NetworkPolicyIngressRule' });
    const post = v2.paths['/api/v1/namespaces'].post;
    expect(post.parameters[0]).toMatchObject({ in: 'body', schema: { $ref: '#/definitions/io.k8s.api.core.v1.Namespace' } });
    expect(post.parameters.find((p: S) => p.name === 'fieldValidation')).toMatchObject({ in: 'query', type: 'string' });
  });
});

describe('the messages agree with the store schema', () => {
  it('every field the store keeps exists in the kind’s message, unless the message is marked as a subset', () => {
    type N = { t: string; fields?: Record<string, { node: N }>; item?: N };
    type T = { name: string; comment: string | null; fields: Record<string, { resolvedType: unknown }> };
    const walk = (node: N, type: T | undefined, path: string, out: string[]) => {
      if (node.t === 'list' && node.item) return walk(node.item, type, path, out);
      if (node.t !== 'struct' || !node.fields || !type) return;
      for (const [k, f] of Object.entries(node.fields)) {
        const field = type.fields[k];
        if (!field) {
          if (!isSubset(type as never)) out.push(`${path}.${k}`);
        } else walk(f.node, field.resolvedType as T, `${path}.${k}`, out);
      }
    };
    for (const k of ALL_KINDS) {
      const missing: string[] = [];
      const msg = messageFor(k.apiVersion, k.kind);
      expect(msg, k.kind).toBeDefined();
      if (k.specSchema) walk(k.specSchema as N, msg?.fields.spec?.resolvedType as never, `${k.kind}.spec`, missing);
      for (const [top, node] of Object.entries((k as { topSchema?: Record<string, N> }).topSchema ?? {})) {
        if (!msg?.fields[top]) missing.push(`${k.kind}.${top}`);
        else walk(node as N, msg.fields[top]?.resolvedType as never, `${k.kind}.${top}`, missing);
      }
      expect(missing).toEqual([]);
    }
  });

  it('serves every kind in the v3 documents, with a GVK and the subset marker where fields are missing', () => {
    const core = openApiV3(ALL_KINDS, 'v1', 'v1.32.0') as S;
    for (const kind of ['Namespace', 'Pod', 'Service', 'Endpoints']) {
      expect(core.components.schemas[`io.k8s.api.core.v1.${kind}`]['x-kubernetes-group-version-kind'], kind).toEqual([{ group: '', version: 'v1', kind }]);
    }
    expect(core.components.schemas['io.k8s.api.core.v1.PodSpec']['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(core.components.schemas['io.k8s.api.core.v1.ServiceSpec']['x-kubernetes-preserve-unknown-fields']).toBeUndefined();
    const apps = openApiV3(ALL_KINDS, 'apps/v1', 'v1.32.0') as S;
    expect(Object.keys(apps.paths)).toContain('/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}');
  });
});
