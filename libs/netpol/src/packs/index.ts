import { gardenerGeneralPack } from './gardener-general.pack.js';
import { gardenerShootSystemPack } from './gardener-shoot-system.pack.js';
import { kkpApiserverPack } from './kkp-apiserver.pack.js';
import { kubernetesDefaultsPack } from './kubernetes-defaults.pack.js';
import type { PackName, PolicyPack } from './pack.types.js';

export * from './pack.types.js';
export * from './placement.js';
export * from './render-pack.js';
export { PRIVATE_NETWORKS } from './pack-metadata.js';
export { gardenerGeneralPack, gardenerShootSystemPack, kkpApiserverPack, kubernetesDefaultsPack };

/** Every pack that ships with fleetgate, by name. */
export const builtInPacks: Readonly<Record<PackName, PolicyPack>> = {
  'kkp-apiserver': kkpApiserverPack,
  'gardener-general': gardenerGeneralPack,
  'gardener-shoot-system': gardenerShootSystemPack,
  'kubernetes-defaults': kubernetesDefaultsPack,
};
