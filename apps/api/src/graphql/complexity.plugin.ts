import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

export const MAX_COMPLEXITY = 10_000;

/** Rejects operations whose estimated cost (page sizes × fields) exceeds MAX_COMPLEXITY. */
@Plugin()
export class ComplexityPlugin implements ApolloServerPlugin {
  constructor(private readonly schemaHost: GraphQLSchemaHost) {}

  async requestDidStart(): Promise<GraphQLRequestListener<object>> {
    const schema = this.schemaHost.schema;
    return {
      async didResolveOperation({ request, document }) {
        let complexity: number;
        try {
          complexity = getComplexity({
            schema,
            operationName: request.operationName ?? undefined,
            query: document,
            variables: request.variables ?? {},
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
        } catch (err) {
          // it coerces the variables first: a bad variable is the caller's error, not a 500
          if (err instanceof GraphQLError) throw new GraphQLError(err.message, { nodes: err.nodes, extensions: { code: 'BAD_USER_INPUT', errors: [], http: { status: 400 } } });
          throw err;
        }
        if (complexity > MAX_COMPLEXITY) {
          throw new GraphQLError(`Query complexity ${complexity} exceeds the limit of ${MAX_COMPLEXITY}`, {
            extensions: { code: 'QUERY_TOO_COMPLEX', errors: [], http: { status: 400 } },
          });
        }
      },
    };
  }
}
