import { Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor, AssignedStateService, type AssignedPolicy, type DesiredPolicy, FeatureGateService } from '@fleetgate/core';
import { ClusterModel } from '../clusters/cluster.model.js';
import { CurrentActor } from '../common/auth.decorator.js';
import { toClusterFeatureGateModel, toDefaultingTemplateModel } from '../feature-gates/feature-gate.mapper.js';
import { ClusterFeatureGateModel, DefaultingTemplateModel } from '../feature-gates/feature-gate.model.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { AssignedPolicyModel, ClusterPlanModel, DesiredPolicyModel, type DriftModeEnum, type PlanActionEnum, PolicyConflictModel } from './desired-state.model.js';

const toDesired = (p: DesiredPolicy): DesiredPolicyModel => ({
  target: p.target,
  name: p.name,
  policy: p.policy,
  hash: p.hash,
  origin: {
    binding: p.origin.binding,
    template: p.origin.template,
    version: p.origin.version,
    gate: p.origin.gate,
    kind: p.origin.kind ?? null,
    sourceService: p.origin.source?.service ?? null,
    sourceNamespace: p.origin.source?.namespace ?? null,
  },
  driftMode: p.driftMode as DriftModeEnum,
});

const toAssigned = (p: AssignedPolicy): AssignedPolicyModel => ({
  target: p.target,
  name: p.name,
  policy: p.policy,
  hash: p.hash,
  origin: { binding: p.origin.binding, template: p.origin.template, version: p.origin.version, gate: p.origin.gate },
  rolloutId: p.rolloutId,
  assignedAt: p.assignedAt,
});

/** A cluster's gates and policies, each through a per-request DataLoader. */
@Resolver(() => ClusterModel)
export class ClusterStateResolver {
  constructor(
    private readonly gates: FeatureGateService,
    private readonly assigned: AssignedStateService,
  ) {}

  @ResolveField('featureGates', () => [ClusterFeatureGateModel], { description: 'Every gate with its value on this cluster and why' })
  async featureGates(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<ClusterFeatureGateModel[]> {
    return (await ctx.loaders.gatesByClusterId.load(cluster.id)).map(toClusterFeatureGateModel);
  }

  @ResolveField('desiredPolicies', () => [DesiredPolicyModel], {
    description: 'Every NetworkPolicy this cluster should hold (intended state), with target, hash and origin',
    complexity: ({ childComplexity }) => 1 + 20 * Math.max(childComplexity, 1),
  })
  async desiredPolicies(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<DesiredPolicyModel[]> {
    return ((await ctx.loaders.desiredByClusterId.load(cluster.id))?.policies ?? []).map(toDesired);
  }

  @ResolveField('desiredPolicyCount', () => Int)
  async desiredPolicyCount(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<number> {
    return (await ctx.loaders.desiredByClusterId.load(cluster.id))?.policies.length ?? 0;
  }

  @ResolveField('desiredPolicyConflicts', () => [PolicyConflictModel], { description: 'Objects two bindings both want on the same target (left out of the desired state)' })
  async desiredPolicyConflicts(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<PolicyConflictModel[]> {
    return (await ctx.loaders.desiredByClusterId.load(cluster.id))?.conflicts ?? [];
  }

  @ResolveField('assignedPolicies', () => [AssignedPolicyModel], {
    description: 'What the last successful rollout put in place',
    complexity: ({ childComplexity }) => 1 + 20 * Math.max(childComplexity, 1),
  })
  async assignedPolicies(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<AssignedPolicyModel[]> {
    return (await ctx.loaders.assignedByClusterId.load(cluster.id)).map(toAssigned);
  }

  @ResolveField('plan', () => ClusterPlanModel, { description: 'Intended against assigned: what a rollout would do here', complexity: 50 })
  async plan(@Parent() cluster: ClusterModel, @CurrentActor() actor: Actor): Promise<ClusterPlanModel> {
    const p = await this.assigned.plan(actor, cluster.id);
    return {
      steps: p.steps.map((s) => ({
        action: s.action as PlanActionEnum,
        target: s.target,
        name: s.name,
        desiredHash: s.desiredHash,
        assignedHash: s.assignedHash,
        origin: { binding: s.origin.binding, template: s.origin.template, version: s.origin.version, gate: s.origin.gate },
      })),
      ...p.counts,
      conflicts: p.conflicts,
    };
  }

  @ResolveField('defaultingTemplate', () => DefaultingTemplateModel, { nullable: true, description: "A seed's defaulting template (null for user clusters)" })
  async defaultingTemplate(@Parent() cluster: ClusterModel, @CurrentActor() actor: Actor): Promise<DefaultingTemplateModel | null> {
    if (cluster.role !== 'seed') return null;
    return toDefaultingTemplateModel(await this.gates.getDefaultingTemplate(actor, cluster.id));
  }
}
