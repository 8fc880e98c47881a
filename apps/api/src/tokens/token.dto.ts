import type { ApiTokenRecord, CreatedToken } from '@fleetgate/core';
import { z } from 'zod';

export interface CreatedTokenDto {
  id: string;
  name: string;
  role: string;
  /** shown once */
  token: string;
}

export interface TokenDto {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export function toCreatedTokenDto(t: CreatedToken): CreatedTokenDto {
  return { id: t.id, name: t.name, role: t.role, token: t.token };
}

export function toTokenDto(t: ApiTokenRecord): TokenDto {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    prefix: t.prefix,
    createdBy: t.createdBy,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
  };
}

export const createdTokenDtoSchema = z.object({ id: z.uuid(), name: z.string(), role: z.enum(['viewer', 'operator', 'admin']), token: z.string() });
export const tokenDtoSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(['viewer', 'operator', 'admin']),
  prefix: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
