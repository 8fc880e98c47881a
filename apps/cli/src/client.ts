import { type Credentials } from './config.js';
import { CliError, ExitCode, type Problem, problemError } from './errors.js';

/** The REST API (/api/v1) with a bearer token; problem+json answers become CliErrors. */
export class ApiClient {
  constructor(private readonly creds: Credentials) {}

  get server(): string {
    return this.creds.server;
  }

  async request<T>(method: string, path: string, body?: unknown, query: Record<string, string | number | boolean | undefined> = {}): Promise<T> {
    const url = new URL(`${this.creds.server}/api/v1${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.creds.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new CliError(`cannot reach ${this.creds.server}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`, ExitCode.Failed);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) throw problemError(res.status, json && typeof json === 'object' ? (json as Problem) : null, text.slice(0, 200));
    return json as T;
  }

  get<T>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }

  post<T>(path: string, body: unknown = {}, query?: Record<string, string | number | boolean | undefined>): Promise<T> {
    return this.request<T>('POST', path, body, query);
  }

  /** Every item of a cursor-paginated list (`{items, nextCursor}`), up to `max`. */
  async all<T>(path: string, query: Record<string, string | number | boolean | undefined> = {}, max = 10_000): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<{ items: T[]; nextCursor?: string | null }>(path, { ...query, limit: 100, cursor });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && out.length < max);
    return out;
  }
}
