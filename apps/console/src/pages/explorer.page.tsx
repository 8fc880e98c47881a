import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { storedToken } from '../session.js';

/** GraphiQL, bundled: the same /graphql endpoint with the session's token (never in the URL). */
export default function ExplorerPage() {
  const fetcher = async (params: unknown) => {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${storedToken() ?? ''}` },
      body: JSON.stringify(params),
    });
    return res.json();
  };
  return (
    <div className="explorer">
      <GraphiQL fetcher={fetcher} defaultQuery={'# The console uses this API only; try:\n{\n  viewer { name role }\n  driftSummary { inSync drifted unreachable neverScanned total }\n  clusters(first: 5) { edges { node { name role health { status } } } pageInfo { hasNextPage endCursor } }\n}\n'} />
    </div>
  );
}
