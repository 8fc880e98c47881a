/** Serves the OpenAPI documents of the served kinds, built once per Kubernetes version. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError } from '../status.js';
import { documentHash, groupVersionPath, openApiV2, openApiV3, openApiV3Discovery, type ServedKind } from './generate.js';

const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2';

export class OpenApiDocuments {
  private readonly cache = new Map<string, { body: Buffer; etag: string }>();

  constructor(private readonly kinds: () => readonly ServedKind[]) {}

  private doc(key: string, build: () => unknown): { body: Buffer; etag: string } {
    let hit = this.cache.get(key);
    if (!hit) {
      const doc = build();
      hit = { body: Buffer.from(JSON.stringify(doc)), etag: documentHash(doc) };
      this.cache.set(key, hit);
    }
    return hit;
  }

  /**
   * Answers `/openapi/v2`, `/openapi/v3` and `/openapi/v3/<group-version>`; false for other paths.
   * `prefix` is the path the cluster is served under (`/clusters/<name>`), for `serverRelativeURL`.
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string, gitVersion: string, prefix: string): boolean {
    if (!path.startsWith('/openapi/')) return false;
    const kinds = this.kinds();
    let hit: { body: Buffer; etag: string } | undefined;
    if (path === '/openapi/v2') {
      const accept = String(req.headers.accept ?? '');
      // Only the JSON form is served; a client that accepts nothing else is told so (406).
      if (accept && accept.split(',').every((a) => a.trim().startsWith(V2_PROTOBUF))) {
        throw new StatusError(406, 'NotAcceptable', `only the following media types are accepted: application/json`);
      }
      hit = this.doc(`v2 ${gitVersion}`, () => openApiV2(kinds, gitVersion));
    } else if (path === '/openapi/v3' || path === '/openapi/v3/') {
      hit = this.doc(`v3 ${gitVersion} ${prefix}`, () => openApiV3Discovery(kinds, gitVersion, prefix));
    } else if (path.startsWith('/openapi/v3/')) {
      const key = path.slice('/openapi/v3/'.length);
      const gv = [...new Set(kinds.map((k) => k.apiVersion))].find((v) => groupVersionPath(v) === key);
      if (!gv) return false;
      hit = this.doc(`v3 ${gitVersion} ${gv}`, () => openApiV3(kinds, gv, gitVersion));
    } else {
      return false;
    }
    const hashed = (req.url ?? '').includes('hash=');
    res.writeHead(200, {
      'content-type': 'application/json',
      etag: `"${hit.etag}"`,
      'cache-control': hashed ? 'public, immutable' : 'no-cache, private',
      'content-length': hit.body.length,
    });
    res.end(hit.body);
    return true;
  }
}
