import { type FormEvent, useState } from 'react';

/** Sign in with an API token: checked against the API (`viewer`), then kept in sessionStorage. */
export function SignInPage({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.trim()}` },
        body: JSON.stringify({ query: '{ viewer { name role } }' }),
      });
      const body = (await res.json()) as { data?: { viewer: { name: string } }; errors?: Array<{ message: string }> };
      if (body.data?.viewer) onSignedIn(token.trim());
      else setError(body.errors?.[0]?.message ?? `The API answered ${res.status}`);
    } catch (err) {
      setError(`Cannot reach the API: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin" id="main">
      <h1>fleetgate</h1>
      <p>Sign in with an API token. It is kept in this tab only (session storage) and sent as a bearer header.</p>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} />
        <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
