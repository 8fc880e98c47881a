// REST fuzzing of every operation in /api/openapi.json and GraphQL fuzzing of every root field
// of the committed schema, with fast-check: NUL bytes, huge and deep values, wrong types and
// content types, variables of the wrong type, alias floods, deep selections, unknown operation
// names and persisted-query hashes. Inputs never name real objects, so nothing real is changed.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { type GraphQLArgument, type GraphQLField, type GraphQLInputType, buildSchema, getNamedType, isListType, isNonNullType } from 'graphql';
import type { Recorder } from './http.js';

interface OpenApiOperation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: { type?: string } }[];
  requestBody?: unknown;
}
type OpenApi = { paths: Record<string, Record<string, OpenApiOperation>> };

const nul = fc.constantFrom('\u0000', 'a\u0000b', '%00', '\u0000'.repeat(3));
const hostile = fc.oneof(
  nul,
  fc.constantFrom('', ' ', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', '2147483648', '-1', '99999999999999999999', '1e309', 'NaN', '../..', '%2e%2e%2f', '\uffff', '\ud800', '😀'.repeat(50), 'x'.repeat(5000)),
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
);

/** encodeURIComponent, except that a lone surrogate becomes the invalid UTF-8 it would be on the wire. */
const enc = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

/** A JSON text nested `depth` levels deep (arrays or objects). */
export function deepJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const jsonValue = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, 1, 'x', true, [], {}, { description: 'a\u0000b' }, { name: '\u0000' }, { enabled: 'yes' }, { labels: { '\u0000': 'x' } }),
  fc.dictionary(fc.constantFrom('name', 'description', 'enabled', 'role', 'labelSelector', 'strategy', 'credentials', 'version', 'labels', 'change', 'template'), hostile as fc.Arbitrary<unknown>),
);

type BodyCase = { body: string; contentType: string };
const bodyCase: fc.Arbitrary<BodyCase> = fc.oneof(
  { weight: 6, arbitrary: jsonValue.map((v) => ({ body: JSON.stringify(v), contentType: 'application/json' })) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 100_000).chain((d) => fc.constantFrom<'array' | 'object'>('array', 'object').map((k) => ({ body: deepJson(d, k), contentType: 'application/json' }))) },
  { weight: 1, arbitrary: fc.constantFrom('1', 'null', '"x"', 'true', '{', '{"a":', '\u0000', '') .map((body) => ({ body, contentType: 'application/json' })) },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1').map((contentType) => ({ body: '{"name":"x"}', contentType })) },
  { weight: 1, arbitrary: fc.constant({ body: JSON.stringify({ description: 'x'.repeat(2_000_000) }), contentType: 'application/json' }) },
);

export interface RestCase {
  method: string;
  template: string;
  path: string;
  body?: BodyCase;
  idempotencyKey?: string;
}

export function restCases(spec: OpenApi, n: number, seed: number): RestCase[] {
  const ops: { method: string; template: string; op: OpenApiOperation }[] = [];
  for (const [template, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) ops.push({ method: method.toUpperCase(), template, op });
  }
  const arb = fc
    .record({
      i: fc.nat({ max: ops.length - 1 }),
      params: fc.array(hostile, { minLength: 4, maxLength: 4 }),
      query: fc.array(fc.tuple(fc.boolean(), hostile), { minLength: 6, maxLength: 6 }),
      body: bodyCase,
      withKey: fc.boolean(),
      key: fc.oneof(fc.uuid(), fc.constantFrom('k', '\u0000', 'x'.repeat(300))),
    })
    .map(({ i, params, query, body, withKey, key }): RestCase => {
      const { method, template, op } = ops[i]!;
      let p = 0;
      let path = template.replace(/\{[^}]+\}/g, () => enc(params[p++ % params.length]!));
      const qs = (op.parameters ?? []).filter((x) => x.in === 'query').flatMap((x, j) => (query[j % query.length]![0] ? [`${enc(x.name)}=${enc(query[j % query.length]![1])}`] : []));
      if (qs.length) path += `?${qs.join('&')}`;
      const hasBody = method !== 'GET' && method !== 'DELETE';
      return { method, template, path, ...(hasBody ? { body } : {}), ...(method === 'POST' && withKey ? { idempotencyKey: key } : {}) };
    });
  return fc.sample(arb, { numRuns: n, seed });
}

export async function fuzzRest(rec: Recorder, n: number, seed: number, concurrency = 4): Promise<void> {
  const spec = (await rec.call('GET', '/api/openapi.json')).body as OpenApi;
  const cases = restCases(spec, n, seed);
  let next = 0;
  const worker = async () => {
    for (let c = cases[next++]; c; c = cases[next++]) {
      const headers: Record<string, string> = c.idempotencyKey && /^[\x20-\x7e]*$/.test(c.idempotencyKey) ? { 'idempotency-key': c.idempotencyKey } : {};
      await rec.call(c.method, c.path, { route: `${c.method} ${c.template}`, headers, ...(c.body ? { body: c.body.body, contentType: c.body.contentType } : {}) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function typeText(t: GraphQLInputType): string {
  return t.toString();
}

function sampleFor(t: GraphQLInputType, v: number): unknown {
  const named = getNamedType(t).name;
  const pick = [
    { ID: '', String: 'a\u0000b', Int: 2147483648, Boolean: 'yes', JSON: { a: '\u0000' } },
    { ID: 'not-a-uuid', String: '', Int: -1, Boolean: 1, JSON: [] },
    { ID: '00000000-0000-0000-0000-000000000000', String: 'x'.repeat(10_000), Int: 'x', Boolean: null, JSON: null },
    { ID: '\u0000', String: '%00', Int: 1.5, Boolean: true, JSON: 'x' },
  ][v % 4]!;
  const base = named in pick ? (pick as Record<string, unknown>)[named] : v % 2 ? {} : 'x';
  return isListType(isNonNullType(t) ? t.ofType : t) && v % 3 === 0 ? [base] : base;
}

export interface GqlCase {
  body: unknown;
  label: string;
}

export function graphqlCases(schemaText: string, n: number, seed: number): GqlCase[] {
  const schema = buildSchema(schemaText);
  const roots: { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] = [
    ...Object.values(schema.getQueryType()?.getFields() ?? {}).map((field) => ({ kind: 'query' as const, field })),
    ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({ kind: 'mutation' as const, field })),
  ];
  const fieldCase = fc.record({ i: fc.nat({ max: roots.length - 1 }), v: fc.nat(), asVars: fc.boolean(), wrongDecl: fc.boolean(), drop: fc.boolean() }).map(({ i, v, asVars, wrongDecl, drop }): GqlCase => {
    const { kind, field } = roots[i]!;
    const args = (field.args as readonly GraphQLArgument[]).filter((_, j) => !(drop && j === 0));
    const decls = args.map((a) => `$${a.name}: ${wrongDecl ? 'Int' : typeText(a.type)}`);
    const inline = args.map((a) => `${a.name}: ${asVars ? `$${a.name}` : JSON.stringify(sampleFor(a.type, v)).replace(/"(\w+)":/g, '$1:')}`);
    const variables = Object.fromEntries(args.map((a) => [a.name, sampleFor(a.type, v)]));
    const head = asVars && decls.length ? `${kind} F(${decls.join(', ')})` : `${kind} F`;
    return { label: `${kind} ${field.name}`, body: { query: `${head} { ${field.name}${inline.length ? `(${inline.join(', ')})` : ''} { __typename } }`, ...(asVars ? { variables } : {}), operationName: 'F' } };
  });
  const special = fc.oneof(
    fc.constantFrom<GqlCase>(
      { label: 'wrongly typed variable', body: { query: 'query Q($f: Int) { clusters(first: $f) { totalCount } }', variables: { f: 'x' } } },
      { label: 'startRollout empty input', body: { query: 'mutation { startRollout(input: {}) { id } }' } },
      { label: 'cancelRollout empty id', body: { query: 'mutation { cancelRollout(id: "") { id } }' } },
      { label: 'unknown operationName', body: { query: 'query A { __typename }', operationName: 'Nope' } },
      { label: 'persisted query', body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } } },
      { label: 'empty body', body: {} },
      { label: 'query not a string', body: { query: 1 } },
      { label: 'variables not an object', body: { query: '{ __typename }', variables: 'x' } },
      { label: 'NUL in query', body: { query: '{ cluster(name: "\u0000") { id } }' } },
      { label: 'batch', body: [{ query: '{ __typename }' }, { query: '{ __typename }' }] },
      { label: 'syntax error', body: { query: '{' } },
    ),
    fc.constantFrom(10, 1_000, 5_000).map((k): GqlCase => ({ label: `${k} aliases`, body: { query: `{ ${Array.from({ length: k }, (_, j) => `a${j}: __typename`).join(' ')} }` } })),
    fc.constantFrom(20, 200).map((d): GqlCase => ({ label: `depth ${d}`, body: { query: `{ clusters { edges { node { ${'seed { '.repeat(d)}id${' }'.repeat(d)} } } } }` } })),
  );
  return fc.sample(fc.oneof({ weight: 3, arbitrary: fieldCase }, { weight: 1, arbitrary: special }), { numRuns: n, seed });
}

export async function fuzzGraphql(rec: Recorder, schemaPath: string, n: number, seed: number, concurrency = 4): Promise<void> {
  const cases = graphqlCases(readFileSync(schemaPath, 'utf8'), n, seed);
  let next = 0;
  const worker = async () => {
    for (let c = cases[next++]; c; c = cases[next++]) {
      await rec.call('POST', '/graphql', { route: `POST /graphql (${c.label})`, body: JSON.stringify(c.body) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
