/**
 * The sign-in token lives in sessionStorage only (gone when the tab closes): never in a URL, a
 * cookie or a log. The role comes from the API (`viewer { role }`) and decides what is shown.
 */
export type Role = 'viewer' | 'operator' | 'admin';

const KEY = 'fleetgate.token';
const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const atLeast = (role: Role | undefined, needed: Role): boolean => role !== undefined && rank[role] >= rank[needed];

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: the token stays in memory for this page only
  }
}
