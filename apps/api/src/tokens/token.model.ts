import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum TokenRoleEnum {
  viewer = 'viewer',
  operator = 'operator',
  admin = 'admin',
}
registerEnumType(TokenRoleEnum, { name: 'TokenRole' });

@ObjectType('CreatedToken', { description: 'A new API token; `token` is shown only here.' })
export class CreatedTokenModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => TokenRoleEnum)
  role!: TokenRoleEnum;

  @Field()
  token!: string;
}

@ObjectType('Viewer', { description: 'Who the token in use belongs to' })
export class ViewerModel {
  @Field()
  name!: string;

  @Field(() => TokenRoleEnum)
  role!: TokenRoleEnum;
}
