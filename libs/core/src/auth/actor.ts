import { DomainError, DomainErrorCode } from '../errors/index.js';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Who is calling: every service method takes it first (CONVENTIONS rule 6). */
export interface Actor {
  /** API token id, or `system:<component>` for the worker and boot tasks. */
  id: string;
  /** Token name (recorded in the audit log). */
  name: string;
  role: Role;
  requestId?: string | undefined;
}

export function systemActor(component: string): Actor {
  return { id: `system:${component}`, name: `system:${component}`, role: 'admin' };
}

export function hasRole(actor: Actor, needed: Role): boolean {
  return rank[actor.role] >= rank[needed];
}

/** Access check used by services; throws FORBIDDEN (403). */
export function assertRole(actor: Actor, needed: Role, action: string): void {
  if (!hasRole(actor, needed)) {
    throw new DomainError(DomainErrorCode.Forbidden, `${action} requires the ${needed} role; token "${actor.name}" is ${actor.role}`);
  }
}
