// Every API call the chaos run makes goes through `Recorder.call`: status, latency and the phase
// it happened in, so the report can show a status histogram, every answer >= 500 and the p99 of
// each outage.
export interface Call {
  phase: string;
  method: string;
  route: string;
  status: number; // 0: no answer (connection refused, reset, or timed out)
  ms: number;
  retryAfter: boolean;
  problem: boolean;
  detail?: string;
  /** a GraphQL answer carrying INTERNAL_SERVER_ERROR (a 500 in GraphQL clothing) */
  internal?: boolean;
}

export interface CallOptions {
  body?: string | undefined;
  contentType?: string;
  token?: string | null;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Route label for the report (defaults to the path with ids replaced). */
  route?: string;
}

export class Recorder {
  readonly calls: Call[] = [];
  phase = 'setup';

  constructor(
    public baseUrl: string,
    public token: string,
  ) {}

  async call(method: string, path: string, opts: CallOptions = {}): Promise<{ status: number; body: unknown; text: string; headers: Headers | undefined; call: Call }> {
    const started = performance.now();
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const token = opts.token === undefined ? this.token : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    let status = 0;
    let text = '';
    let resHeaders: Headers | undefined;
    let detail: string | undefined;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: opts.body, signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
      status = res.status;
      resHeaders = res.headers;
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      detail = e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.message);
    }
    const ms = performance.now() - started;
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (status >= 500) detail = text.slice(0, 300);
    const call: Call = {
      phase: this.phase,
      method,
      route: opts.route ?? routeOf(path),
      status,
      ms,
      retryAfter: resHeaders?.has('retry-after') ?? false,
      problem: resHeaders?.get('content-type')?.includes('application/problem+json') ?? false,
      ...(detail ? { detail } : {}),
    };
    if (path.startsWith('/graphql')) {
      const errors = (body as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors;
      if (Array.isArray(errors) && errors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
        call.internal = true;
        call.detail = text.slice(0, 300);
      }
    }
    this.calls.push(call);
    return { status, body, text, headers: resHeaders, call };
  }

  json(method: string, path: string, body?: unknown, opts: CallOptions = {}) {
    return this.call(method, path, { ...opts, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  gql(query: string, variables?: unknown, extra: Record<string, unknown> = {}, opts: CallOptions = {}) {
    return this.json('POST', '/graphql', { query, variables, ...extra }, { route: 'POST /graphql', ...opts });
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
export function routeOf(path: string): string {
  return path.split('?')[0]!.replace(UUID, ':id');
}
