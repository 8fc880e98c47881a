import { describe, expect, it } from 'vitest';
import { detectNetworkPolicyEnforcement, parseServerVersion, versionFieldIssues } from './cni-enforcement.builder.js';
import type { NetworkPolicy } from '../types/network-policy.js';

describe('CNI enforcement', () => {
  it.each([
    ['calico-node', 'docker.io/calico/node:v3.27.0', 'calico', 'v3.27.0'],
    ['cilium', 'quay.io/cilium/cilium:v1.15.1@sha256:abc', 'cilium', 'v1.15.1'],
    ['antrea-agent', 'antrea/antrea-agent-ubuntu:v1.14.0', 'antrea', 'v1.14.0'],
    ['kube-router', 'cloudnativelabs/kube-router:v2.0.0', 'kube-router', 'v2.0.0'],
    ['weave-net', 'weaveworks/weave-kube:2.8.1', 'weave', '2.8.1'],
    ['canal', 'calico/node:v3.26.0', 'canal', 'v3.26.0'],
  ])('%s enforces', (name, image, cni, version) => {
    const v = detectNetworkPolicyEnforcement({ daemonSets: [{ name: 'kube-proxy', images: ['k8s/kube-proxy:v1.30.0'] }, { name, images: [image] }] });
    expect(v).toMatchObject({ networkPolicyEnforcement: 'enforced', cni, cniVersion: version });
  });

  it('flannel alone does not enforce; flannel with calico (canal-style) does', () => {
    expect(detectNetworkPolicyEnforcement({ daemonSets: [{ name: 'kube-flannel-ds', images: ['flannel/flannel:v0.24.0'] }] })).toMatchObject({
      networkPolicyEnforcement: 'not_enforced',
      cni: 'flannel',
      cniVersion: 'v0.24.0',
    });
    expect(detectNetworkPolicyEnforcement({ daemonSets: [{ name: 'kube-flannel-ds' }, { name: 'calico-node' }] }).networkPolicyEnforcement).toBe('enforced');
  });

  it('unknown without a known plugin; pods are the fallback', () => {
    expect(detectNetworkPolicyEnforcement({ daemonSets: [{ name: 'kube-proxy' }] }).networkPolicyEnforcement).toBe('unknown');
    expect(detectNetworkPolicyEnforcement({ daemonSets: [], pods: [{ name: 'cilium-x7k2p', labels: { 'k8s-app': 'cilium' } }] }).cni).toBe('cilium');
  });

  it('flags endPort on servers before 1.25, per policy and field', () => {
    const p: NetworkPolicy = { metadata: { name: 'r', namespace: 'a' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 32000, endPort: 32768 }] }] } };
    expect(parseServerVersion('v1.24.3-gke.1')).toEqual([1, 24]);
    expect(versionFieldIssues([p], 'v1.25.0')).toEqual([]);
    const issues = versionFieldIssues([p], 'v1.24.3');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ policy: 'a/r', field: 'spec.egress[0].ports[0].endPort' });
    expect(versionFieldIssues([p], 'v1.20.0')[0]!.message).toContain('drops the field');
  });
});
