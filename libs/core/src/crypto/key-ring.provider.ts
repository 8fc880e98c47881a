import type { Provider } from '@nestjs/common';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { KeyRing } from './key-ring.service.js';

export const KEY_RING = Symbol.for('fleetgate.keyRing');

export const keyRingProvider: Provider = {
  provide: KEY_RING,
  inject: [FLEETGATE_CONFIG],
  useFactory: (config: FleetgateConfig) => new KeyRing(config.masterKey, config.previousMasterKeys),
};
