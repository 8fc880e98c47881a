/** One requirement of a Kubernetes label selector. `=`/`==` are In with one value, `!=` NotIn. */
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** Go's strconv.ParseInt(s, 10, 64) succeeding. */
export function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  if (value > 9223372036854775807n || value < -9223372036854775808n) return undefined;
  return value;
}

/** labels.Requirement.Matches. */
export function requirementMatches(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.operator) {
    case 'In':
      return has && req.values.includes(value ?? '');
    case 'NotIn':
      return !has || !req.values.includes(value ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has) return false;
      const actual = parseInt64(value ?? '');
      if (actual === undefined || req.values.length !== 1) return false;
      const wanted = parseInt64(req.values[0] ?? '');
      if (wanted === undefined) return false;
      return req.operator === 'Gt' ? actual > wanted : actual < wanted;
    }
  }
}

/** True when every requirement matches (an empty list matches everything). */
export function matches(reqs: readonly Requirement[], labels: Readonly<Record<string, string>>): boolean {
  for (const req of reqs) if (!requirementMatches(req, labels)) return false;
  return true;
}

/** One requirement in the string syntax (`key=v`, `key in (a,b)`, `!key`, `key>5`). */
export function formatRequirement(req: Requirement): string {
  switch (req.operator) {
    case 'Exists':
      return req.key;
    case 'DoesNotExist':
      return `!${req.key}`;
    case 'Gt':
      return `${req.key}>${req.values[0] ?? ''}`;
    case 'Lt':
      return `${req.key}<${req.values[0] ?? ''}`;
    case 'In':
      return req.values.length === 1 ? `${req.key}=${req.values[0]}` : `${req.key} in (${req.values.join(',')})`;
    case 'NotIn':
      return req.values.length === 1 ? `${req.key}!=${req.values[0]}` : `${req.key} notin (${req.values.join(',')})`;
  }
}

/** The string form of a selector, as labels.Selector.String() prints it. */
export function formatSelector(reqs: readonly Requirement[]): string {
  return reqs.map(formatRequirement).join(',');
}

/** Sort by key the way labels.Parse and Selector.Add do (stable for equal keys). */
export function sortByKey(reqs: Requirement[]): Requirement[] {
  return reqs
    .map((req, index) => ({ req, index }))
    .sort((a, b) => (a.req.key < b.req.key ? -1 : a.req.key > b.req.key ? 1 : a.index - b.index))
    .map(({ req }) => req);
}
