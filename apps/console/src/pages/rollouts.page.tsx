import { useEffect, useRef } from 'react';
import { gql, useSubscription } from 'urql';
import type { Me } from '../app.js';
import { ROLLOUT_FIELDS, type Rollout, describeChange, describeSelection, finished } from '../fragments.js';
import { type Connection, usePaged } from '../paging.js';
import { Link, navigate, useLocation } from '../router.js';
import { atLeast } from '../session.js';
import { Badge, Empty, ErrorNote, Loading, Progress, Time } from '../ui.js';

const LIST = gql`
  query Rollouts($status: RolloutStatus, $first: Int!, $after: String) {
    rollouts(status: $status, first: $first, after: $after) {
      edges {
        node {
          ...RolloutFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${ROLLOUT_FIELDS}
`;

const EVENTS = gql`
  subscription RolloutListEvents {
    rolloutEvents {
      type
      rolloutId
      status
    }
  }
`;

const PAGE = 50;

const STATUSES = ['pending', 'running', 'paused', 'succeeded', 'failed', 'cancelled'];

export function RolloutsPage({ me }: { me: Me }) {
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const { res, refetch, rows, hasNextPage, loadMore, loadingMore, moreError } = usePaged<{ rollouts: Connection<Rollout> }, Rollout>({
    query: LIST,
    variables: { status: status || null, first: PAGE },
    pick: (d) => d.rollouts,
  });
  // live: refetch the page at most once a second while rollouts move
  const due = useRef<ReturnType<typeof setTimeout> | null>(null);
  useSubscription({ query: EVENTS }, (_p, d) => {
    if (!due.current) {
      due.current = setTimeout(() => {
        due.current = null;
        refetch({ requestPolicy: 'network-only' });
      }, 1000);
    }
    return d;
  });
  useEffect(() => () => void (due.current && clearTimeout(due.current)), []);
  return (
    <>
      <h1>Rollouts</h1>
      <div className="filters">
        <label htmlFor="status">Status</label>
        <select id="status" value={status} onChange={(e) => navigate(e.target.value ? `/rollouts?status=${e.target.value}` : '/rollouts')}>
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        {atLeast(me.role, 'operator') && (
          <Link to="/rollouts/new" className="button primary">
            Start a gate rollout
          </Link>
        )}
      </div>
      <ErrorNote error={res.error} />
      {res.fetching && !res.data && <Loading what="Loading rollouts" />}
      {res.data && rows.length === 0 && <Empty>No rollouts{status ? ` with status ${status}` : ''}.</Empty>}
      {rows.length > 0 && (
        <table className="rollouts">
          <thead>
            <tr>
              <th scope="col">Rollout</th>
              <th scope="col">Change</th>
              <th scope="col">Targets</th>
              <th scope="col">Status</th>
              <th scope="col" className="w-progress">
                Progress
              </th>
              <th scope="col">Started by</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/rollouts/${r.id}`}>
                    <code>{r.id.slice(0, 8)}</code>
                  </Link>
                  {r.dryRun && <Badge value="dry-run" />}
                </td>
                <td>{describeChange(r)}</td>
                <td>{describeSelection(r.selection)}</td>
                <td>
                  <Badge value={r.status} />
                  {r.awaitingApproval && <Badge value="awaiting approval" />}
                </td>
                <td>
                  <Progress done={finished(r.counts)} failed={r.counts.failed} total={r.counts.total} label={`Progress of rollout ${r.id.slice(0, 8)}`} />
                </td>
                <td>{r.createdBy}</td>
                <td>
                  <Time at={r.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote error={moreError} />
      {hasNextPage && (
        <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
