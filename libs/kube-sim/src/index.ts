export { type SimTls, generateTls, issueClientCert } from './tls.js';
export { SimCluster, type ApplyOptions, type ClusterSnapshot, type ClusterSpec, type ListQuery, type NamespaceSpec, type WriteOptions, type WriteResult } from './cluster.js';
export { type Faults, type Latency, sampleLatency } from './faults.js';
export { type FleetOptions, fleetFromJson, generateFleet, samplePolicy } from './fleet.js';
export { renderKubeconfig, type KubeconfigEntry } from './kubeconfig.js';
export { type KubeObject, type ManagedFieldsEntry } from './managed-fields.js';
export { type SimConnection, type SimSnapshot, type Simulator, type SimulatorOptions, loadSnapshot, startSimulator } from './simulator.js';
export { StatusError, type Status } from './status.js';
export { type RegisterOptions, type RegisterResult, registerFleet, registrationBody } from './register.js';
