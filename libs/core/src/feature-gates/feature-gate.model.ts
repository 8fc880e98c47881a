export type GateSource = 'explicit' | 'seedTemplate' | 'default';

export interface FeatureGateDefinition {
  key: string;
  description: string;
  defaultValue: boolean;
  builtIn: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A value stored on a cluster (no row: the gate's default). */
export interface StoredGateValue {
  clusterId: string;
  key: string;
  enabled: boolean;
  source: 'explicit' | 'seedTemplate';
  since: Date;
  rolloutId: string | null;
}

/** The value a cluster has, and why. */
export interface EffectiveGate {
  key: string;
  enabled: boolean;
  source: GateSource;
  /** when the value was set (registration or rollout); null for defaults */
  since: Date | null;
  rolloutId: string | null;
}

export interface DefaultingTemplate {
  seedId: string;
  seed: string;
  featureGates: Record<string, boolean>;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export interface GateFleetRow {
  clusterId: string;
  name: string;
  role: 'seed' | 'user';
  enabled: boolean;
  source: GateSource;
  since: Date | null;
}

/** Effective values from definitions and stored values. */
export function effectiveGates(definitions: readonly FeatureGateDefinition[], stored: readonly StoredGateValue[]): EffectiveGate[] {
  const byKey = new Map(stored.map((v) => [v.key, v]));
  return definitions.map((d) => {
    const v = byKey.get(d.key);
    return v
      ? { key: d.key, enabled: v.enabled, source: v.source, since: v.since, rolloutId: v.rolloutId }
      : { key: d.key, enabled: d.defaultValue, source: 'default', since: null, rolloutId: null };
  });
}
