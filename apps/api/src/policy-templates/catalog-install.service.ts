import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { BuiltInCatalogService, systemActor } from '@fleetgate/core';

/** Installs the built-in gates, templates and default bindings when the API starts (idempotent). */
@Injectable()
export class CatalogInstallService implements OnApplicationBootstrap {
  constructor(private readonly catalog: BuiltInCatalogService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.catalog.install(systemActor('api'));
  }
}
