import { type Requirement, SelectorParseError, parseSelector } from '@fleetgate/netpol';
import { DomainError } from '../errors/index.js';
import { Prisma } from '../prisma/index.js';

/**
 * Parses a Kubernetes label selector (netpol's parser, the API server's rules) and reports a
 * malformed one as a validation error on `field`.
 */
export function parseLabelSelector(text: string | undefined, field = 'labelSelector'): Requirement[] {
  if (text === undefined || text.trim() === '') return [];
  try {
    return parseSelector(text);
  } catch (error) {
    if (error instanceof SelectorParseError) {
      const at = error.position === undefined ? '' : ` (at offset ${error.position})`;
      throw DomainError.validation('Invalid label selector', [{ field, message: `${error.message}${at}` }]);
    }
    throw error;
  }
}

const INT64 = /^[+-]?[0-9]+$/;

/**
 * One SQL condition over a JSONB `labels` column with the exact semantics of
 * labels.Requirement.Matches: NotIn and DoesNotExist match when the key is absent, Gt/Lt compare
 * integers and never match a non-integer value. All values are bound parameters.
 */
export function requirementToSql(req: Requirement, column: Prisma.Sql): Prisma.Sql {
  const has = Prisma.sql`jsonb_exists(${column}, ${req.key})`;
  const value = Prisma.sql`(${column} ->> ${req.key})`;
  switch (req.operator) {
    case 'In':
      return Prisma.sql`(${has} AND ${value} IN (${Prisma.join(req.values)}))`;
    case 'NotIn':
      return Prisma.sql`(NOT ${has} OR ${value} NOT IN (${Prisma.join(req.values)}))`;
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return Prisma.sql`(NOT ${has})`;
    case 'Gt':
    case 'Lt': {
      const wanted = req.values[0];
      if (req.values.length !== 1 || wanted === undefined || !INT64.test(wanted)) return Prisma.sql`FALSE`;
      const cmp = req.operator === 'Gt' ? Prisma.raw('>') : Prisma.raw('<');
      return Prisma.sql`(CASE WHEN ${value} ~ '^[+-]?[0-9]{1,19}$' THEN ${value}::numeric ${cmp} ${wanted}::numeric ELSE FALSE END)`;
    }
  }
}

/** AND of all requirements (TRUE for an empty selector). */
export function selectorToSql(reqs: readonly Requirement[], column: Prisma.Sql): Prisma.Sql {
  if (reqs.length === 0) return Prisma.sql`TRUE`;
  return Prisma.join(
    reqs.map((r) => requirementToSql(r, column)),
    ' AND ',
  );
}
