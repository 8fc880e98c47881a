import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import type { HttpRequest, HttpResponse, NextFunction } from '../common/http.types.js';

/** Where `npm run build` puts the console (apps/console/dist), from apps/api/src or apps/api/dist alike. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/** Paths the console never answers: the API, GraphQL's JSON endpoint, metrics, Bull Board, health. */
const RESERVED = /^\/(api|graphql|metrics|admin|healthz|readyz)(\/|$|\?)/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fleetgate</title></head>
<body><main><h1>fleetgate</h1><p>The console is not built. Run <code>npm run build</code> and restart the API.
The API itself is at <a href="/api/docs">/api/docs</a> (REST) and <code>POST /graphql</code>.</p></main></body></html>`;

const wantsHtml = (req: HttpRequest) => String(req.headers.accept ?? '').includes('text/html');

/**
 * Serves the console's built files at `/` and its index.html for the console's own routes
 * (history-API navigation), and for a browser's `GET /graphql` (the explorer); GraphQL clients
 * (POST, or GET with `?query=`) still reach the JSON endpoint. Hashed assets are cached for good,
 * index.html never.
 */
export function mountConsole(app: INestApplication, dir = DEFAULT_CONSOLE_DIR): void {
  const root = normalize(dir.endsWith(sep) ? dir : dir + sep);
  const index = join(root, 'index.html');
  const send = (res: HttpResponse, file: string | null, head: boolean) => {
    const body = file ? readFileSync(file) : Buffer.from(NOT_BUILT);
    const type = file ? (TYPES[extname(file)] ?? 'application/octet-stream') : TYPES['.html']!;
    res.statusCode = 200;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', body.length);
    res.setHeader('Cache-Control', file && file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(head ? undefined : body);
  };
  const indexFile = () => (existsSync(index) ? index : null);
  app.use((req: HttpRequest, res: HttpResponse, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const url = new URL(req.originalUrl ?? req.url ?? '/', 'http://console');
    const head = req.method === 'HEAD';
    if (url.pathname === '/graphql') {
      // a browser opening /graphql gets the explorer; `GET /graphql?query=` stays GraphQL over GET
      return wantsHtml(req) && !url.searchParams.has('query') ? send(res, indexFile(), head) : next();
    }
    if (RESERVED.test(url.pathname)) return next();
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(url.pathname)));
    } catch {
      return next();
    }
    if (path.startsWith(root) && path !== root && existsSync(path) && statSync(path).isFile()) return send(res, path, head);
    if (extname(url.pathname) === '' && wantsHtml(req)) return send(res, indexFile(), head);
    return next();
  });
}
