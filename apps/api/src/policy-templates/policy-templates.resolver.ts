import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor, PolicyTemplateService } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { PageArgs } from '../feature-gates/feature-gate.input.js';
import { CreateTemplateInput, PublishVersionInput, RenderVersionInput, TemplateVersionArgs } from './policy-template.input.js';
import { toPolicyTemplateModel, toPublishData, toTemplateVersionModel } from './policy-template.mapper.js';
import { type Connection, pageComplexity, toConnection } from '../graphql/relay.model.js';
import { CreatedTemplate, PolicyTemplateConnection, PolicyTemplateModel, RenderResult, TemplateDiff, TemplateVersionConnection, TemplateVersionModel } from './policy-template.model.js';

@Resolver(() => PolicyTemplateModel)
export class PolicyTemplatesResolver {
  constructor(private readonly templateService: PolicyTemplateService) {}

  @Query(() => PolicyTemplateConnection, { description: 'Policy templates by name', complexity: pageComplexity })
  async templates(@CurrentActor() actor: Actor, @Args() args: PageArgs): Promise<Connection<PolicyTemplateModel>> {
    const page = await this.templateService.list(actor, { limit: args.first ?? undefined, cursor: args.after ?? undefined });
    return toConnection(page, (t) => ({ name: t.name }), toPolicyTemplateModel);
  }

  @Query(() => PolicyTemplateModel, { description: 'One template by name or id' })
  async template(@CurrentActor() actor: Actor, @Args('ref') ref: string): Promise<PolicyTemplateModel> {
    return toPolicyTemplateModel(await this.templateService.get(actor, ref));
  }

  @Query(() => TemplateVersionModel)
  async templateVersion(@CurrentActor() actor: Actor, @Args() args: TemplateVersionArgs): Promise<TemplateVersionModel> {
    return toTemplateVersionModel(await this.templateService.getVersion(actor, args.template, args.version));
  }

  @Query(() => TemplateDiff, { description: 'Body and parameter changes between two versions, with the changelog between them' })
  async templateDiff(
    @CurrentActor() actor: Actor,
    @Args('template') template: string,
    @Args('from', { type: () => Int }) from: number,
    @Args('to', { type: () => Int }) to: number,
  ): Promise<TemplateDiff> {
    return this.templateService.diff(actor, template, from, to);
  }

  @Query(() => RenderResult, { description: 'Renders a version for a cluster with parameter values; nothing is stored' })
  async renderTemplateVersion(@CurrentActor() actor: Actor, @Args() args: TemplateVersionArgs, @Args('input') input: RenderVersionInput): Promise<RenderResult> {
    return this.templateService.render(actor, args.template, args.version, {
      cluster: input.cluster,
      ...(input.parameters ? { parameters: input.parameters } : {}),
      ...(input.namespace ? { namespace: input.namespace } : {}),
    });
  }

  @Mutation(() => CreatedTemplate)
  @RequireRole('admin')
  async createTemplate(@CurrentActor() actor: Actor, @Args('input') input: CreateTemplateInput): Promise<CreatedTemplate> {
    const r = await this.templateService.create(actor, {
      name: input.name,
      description: input.description,
      ...(input.initialVersion ? { initialVersion: toPublishData(input.initialVersion) } : {}),
    });
    return { template: toPolicyTemplateModel(r.template), version: r.version ? toTemplateVersionModel(r.version) : null };
  }

  @Mutation(() => TemplateVersionModel, { description: 'Publishes the next immutable version; INVALID_POLICY with field errors when it does not render' })
  @RequireRole('admin')
  async publishTemplateVersion(@CurrentActor() actor: Actor, @Args('template') template: string, @Args('input') input: PublishVersionInput): Promise<TemplateVersionModel> {
    return toTemplateVersionModel(await this.templateService.publish(actor, template, toPublishData(input)));
  }

  @Mutation(() => TemplateVersionModel, { description: 'Deletes an unused version (CONFLICT while in use)' })
  @RequireRole('admin')
  async deleteTemplateVersion(@CurrentActor() actor: Actor, @Args() args: TemplateVersionArgs): Promise<TemplateVersionModel> {
    return toTemplateVersionModel(await this.templateService.deleteVersion(actor, args.template, args.version));
  }

  @ResolveField('versions', () => TemplateVersionConnection, { description: 'Versions, newest first', complexity: pageComplexity })
  async versions(@Parent() template: PolicyTemplateModel, @CurrentActor() actor: Actor, @Args() args: PageArgs): Promise<Connection<TemplateVersionModel>> {
    const page = await this.templateService.listVersions(actor, template.id, { limit: args.first ?? undefined, cursor: args.after ?? undefined });
    return toConnection(page, (v) => ({ version: v.version }), toTemplateVersionModel);
  }
}
