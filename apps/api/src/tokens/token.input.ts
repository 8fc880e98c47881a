import { Field, InputType } from '@nestjs/graphql';
import { TokenRoleEnum } from './token.model.js';

@InputType()
export class CreateTokenInput {
  @Field()
  name!: string;

  @Field(() => TokenRoleEnum)
  role!: TokenRoleEnum;
}
