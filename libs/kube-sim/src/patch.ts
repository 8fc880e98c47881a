import { StatusError } from './status.js';

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

type Op = { op: string; path: string; value?: unknown; from?: string };

function unescape(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function split(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new StatusError(422, 'Invalid', `json patch path "${path}" must start with /`);
  return path.slice(1).split('/').map(unescape);
}

function parentOf(doc: unknown, segs: string[], path: string): { parent: Record<string, unknown> | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (typeof cur === 'object' && cur !== null) cur = (cur as Record<string, unknown>)[s];
    else cur = undefined;
    if (cur === undefined) throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
  }
  if (typeof cur !== 'object' || cur === null) throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
  return { parent: cur as Record<string, unknown> | unknown[], key: segs[segs.length - 1] ?? '' };
}

function get(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const s of split(path)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (typeof cur === 'object' && cur !== null) cur = (cur as Record<string, unknown>)[s];
    else return undefined;
  }
  return cur;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const segs = split(path);
  if (segs.length === 0) return value;
  const { parent, key } = parentOf(doc, segs, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: index out of bounds: "${path}"`);
    parent.splice(i, 0, value);
  } else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const segs = split(path);
  const { parent, key } = parentOf(doc, segs, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: index out of bounds: "${path}"`);
    parent.splice(i, 1);
  } else {
    if (!(key in parent)) throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

/** RFC 6902 JSON patch, applied to a deep copy. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new StatusError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc: unknown = structuredClone(target);
  for (const raw of ops as Op[]) {
    const { op, path } = raw;
    if (typeof path !== 'string') throw new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request: missing path');
    switch (op) {
      case 'add':
        doc = add(doc, path, structuredClone(raw.value));
        break;
      case 'remove':
        doc = remove(doc, path);
        break;
      case 'replace':
        if (get(doc, path) === undefined) throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: replace operation does not apply: doc is missing key: ${path}: missing value`);
        doc = remove(doc, path);
        doc = add(doc, path, structuredClone(raw.value));
        break;
      case 'move': {
        const v = get(doc, raw.from ?? '');
        doc = remove(doc, raw.from ?? '');
        doc = add(doc, path, v);
        break;
      }
      case 'copy':
        doc = add(doc, path, structuredClone(get(doc, raw.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(get(doc, path)) !== JSON.stringify(raw.value)) throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: testing value ${path} failed: test failed`);
        break;
      default:
        throw new StatusError(400, 'BadRequest', `Unexpected kind: ${String(op)}`);
    }
  }
  return doc;
}
