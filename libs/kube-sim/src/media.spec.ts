import { describe, expect, it } from 'vitest';
import { checkUnknownFields, decodeBody, encodeResponse, responseEncoding } from './media.js';
import { encodeObject } from './protobuf/codec.js';
import { StatusError } from './status.js';

const NP = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' };

function refusal(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('response encoding', () => {
  it('follows the first acceptable choice of the Accept header', () => {
    expect(responseEncoding('application/vnd.kubernetes.protobuf,application/json')).toBe('protobuf');
    expect(responseEncoding('application/vnd.kubernetes.protobuf, */*')).toBe('protobuf');
    expect(responseEncoding('application/json, application/vnd.kubernetes.protobuf')).toBe('json');
    expect(responseEncoding('application/json;q=0.5, application/vnd.kubernetes.protobuf')).toBe('protobuf');
    expect(responseEncoding('application/json;as=Table;v=v1;g=meta.k8s.io,application/json')).toBe('json');
    expect(responseEncoding(undefined)).toBe('json');
  });
});

describe('response bodies', () => {
  it('answers protobuf only when every field survives, JSON otherwise', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    expect(encodeResponse(pod, 'protobuf').contentType).toBe('application/vnd.kubernetes.protobuf');
    const withVolumes = { ...pod, spec: { ...pod.spec, volumes: [{ name: 'v', emptyDir: {} }] } };
    expect(encodeResponse(withVolumes, 'protobuf')).toEqual({ bytes: Buffer.from(JSON.stringify(withVolumes)), contentType: 'application/json' });
    expect(encodeResponse({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' }, 'protobuf').contentType).toBe('application/json');
  });
});

describe('request bodies', () => {
  it('decodes protobuf for a kind that has a protobuf form', () => {
    const bytes = encodeObject({ ...NP, metadata: { name: 'a' }, spec: { podSelector: {} } }) as Buffer;
    expect(decodeBody(bytes, 'application/vnd.kubernetes.protobuf', 'POST', NP)).toEqual({ ...NP, metadata: { name: 'a' }, spec: { podSelector: {} } });
  });

  it('answers 415 with the accepted media types for anything else', () => {
    const e = refusal(() => decodeBody(Buffer.from('hi'), 'text/plain', 'POST', NP));
    expect([e.code, e.reason, e.message]).toEqual([415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf']);
    const noProto = refusal(() => decodeBody(Buffer.from('x'), 'application/vnd.kubernetes.protobuf', 'POST', { apiVersion: 'example.com/v1', kind: 'Widget' }));
    expect([noProto.code, noProto.message]).toEqual([415, 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml']);
    expect(refusal(() => decodeBody(Buffer.from('{}'), 'application/vnd.kubernetes.protobuf', 'PATCH', NP)).code).toBe(415);
  });

  it('refuses a protobuf body that is not one, and JSON that does not parse', () => {
    expect(refusal(() => decodeBody(Buffer.from('{}'), 'application/vnd.kubernetes.protobuf', 'POST', NP)).message).toContain('expected prefix [107 56 115 0]');
    expect(refusal(() => decodeBody(Buffer.from('k8s'), 'application/json', 'POST', NP)).message).toMatch(/^json: /);
  });
});

describe('field validation', () => {
  const body = { ...NP, metadata: { name: 'a' }, spec: { podSelector: {}, foo: 1 } };
  it('Strict refuses unknown fields, Warn returns warnings, Ignore says nothing', () => {
    expect(refusal(() => checkUnknownFields(body, NP, 'Strict')).message).toBe('NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: strict decoding error: unknown field "spec.foo"');
    expect(refusal(() => checkUnknownFields({ spec: { foo: 1 } }, NP, 'Strict', 'PATCH')).message).toBe('strict decoding error: unknown field "spec.foo"');
    expect(checkUnknownFields(body, NP, 'Warn')).toEqual(['299 - "unknown field \\"spec.foo\\""']);
    expect(checkUnknownFields(body, NP, 'Ignore')).toEqual([]);
  });
});
