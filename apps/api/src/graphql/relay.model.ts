import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Relay page info' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}
