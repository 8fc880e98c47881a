import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { DomainError, DomainErrorCode } from '../errors/index.js';

export type Db = Prisma.TransactionClient;

/**
 * The one Prisma client (CONVENTIONS rule 8). Repositories read `db`, which is the ambient
 * transaction when a service runs inside `transaction()`, so a mutation and its audit event
 * commit together without services ever touching Prisma.
 */
@Injectable()
export class PrismaService implements OnModuleDestroy {
  readonly client: PrismaClient;
  private readonly als = new AsyncLocalStorage<Db>();

  constructor(@Inject(FLEETGATE_CONFIG) config: FleetgateConfig) {
    this.client = new PrismaClient({ adapter: new PrismaPg({ connectionString: config.databaseUrl, max: 10 }) });
  }

  get db(): Db {
    return this.als.getStore() ?? this.client;
  }

  /** Runs `fn` in one transaction; nested calls join the outer one. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.als.getStore()) return fn();
    return this.client.$transaction((tx) => this.als.run(tx, fn), { timeout: 20_000, maxWait: 10_000 });
  }

  async ping(): Promise<void> {
    await this.client.$queryRaw`SELECT 1`;
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.$disconnect();
  }
}

/** Prisma's unique-violation and missing-record errors as domain errors. */
export function mapPrismaError(error: unknown, what: string, fields: string[] = []): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2002') {
      const target = fields[0] ?? 'name';
      throw new DomainError(DomainErrorCode.Conflict, `${what} already exists`, {
        errors: [{ field: target, message: `${what} with this ${target} already exists` }],
      });
    }
    if (error.code === 'P2025') throw new DomainError(DomainErrorCode.NotFound, `${what} not found`);
    if (error.code === 'P2003') throw new DomainError(DomainErrorCode.Conflict, `${what} is still referenced`);
  }
  throw error;
}

export { Prisma };
