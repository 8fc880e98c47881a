/** A structural diff of two JSON values, by path (pure). */

export interface JsonChange {
  path: string;
  op: 'add' | 'remove' | 'change';
  from?: unknown;
  to?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function diffJson(from: unknown, to: unknown, path = ''): JsonChange[] {
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => {
      const p = path ? `${path}.${k}` : k;
      if (!(k in to)) return [{ path: p, op: 'remove' as const, from: from[k] }];
      if (!(k in from)) return [{ path: p, op: 'add' as const, to: to[k] }];
      return diffJson(from[k], to[k], p);
    });
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const out: JsonChange[] = [];
    for (let i = 0; i < Math.max(from.length, to.length); i++) {
      const p = `${path}[${i}]`;
      if (i >= to.length) out.push({ path: p, op: 'remove', from: from[i] });
      else if (i >= from.length) out.push({ path: p, op: 'add', to: to[i] });
      else out.push(...diffJson(from[i], to[i], p));
    }
    return out;
  }
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ path: path || '(root)', op: 'change', from, to }];
}
