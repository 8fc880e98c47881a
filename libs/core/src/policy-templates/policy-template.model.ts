import type { JsonValue, TemplateParameter } from '@fleetgate/netpol';

export interface PolicyTemplate {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  /** the built-in pack it came from */
  pack: string | null;
  latestVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An immutable version: a json-e NetworkPolicy template (one policy or a list) and its parameters. */
export interface PolicyTemplateVersion {
  id: string;
  templateId: string;
  template: string;
  version: number;
  body: JsonValue;
  parameters: TemplateParameter[];
  changelog: string;
  author: string;
  createdAt: Date;
}

export interface VersionUsage {
  bindings: string[];
  assignedClusters: number;
}
