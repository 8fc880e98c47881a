import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { CombinedError } from 'urql';

/** Re-renders every `ms` (relative times stay true). */
export function useTick(ms = 15_000): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return n;
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function relative(at: Date, now = Date.now()): string {
  const s = Math.round((at.getTime() - now) / 1000);
  const a = Math.abs(s);
  if (a < 45) return rtf.format(s, 'second');
  if (a < 2700) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 64800) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

export const absolute = (at: Date) => at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** A time, relative and absolute ("3 minutes ago · 2026-12-04 15:40:12 UTC"). */
export function Time({ at }: { at: string | null | undefined }) {
  useTick();
  if (!at) return <span className="muted">—</span>;
  const d = new Date(at);
  return (
    <time dateTime={d.toISOString()} title={absolute(d)}>
      {relative(d)} <span className="muted small">· {absolute(d)}</span>
    </time>
  );
}

export function Badge({ value, title }: { value: string; title?: string }) {
  return (
    <span className={`badge badge-${value.replace(/[^a-z_]/gi, '')}`} title={title}>
      {value.replace(/_/g, ' ')}
    </span>
  );
}

export function Num({ value }: { value: number | null | undefined }) {
  return <span className="num">{value === null || value === undefined ? '—' : value.toLocaleString('en')}</span>;
}

/** A labelled progress bar (role=progressbar, value in %). */
export function Progress({ done, total, failed = 0, label }: { done: number; total: number; failed?: number; label: string }) {
  const pct = total === 0 ? 100 : Math.round((done / total) * 100);
  const failedPct = total === 0 ? 0 : (failed / total) * 100;
  return (
    <div className="progress-row">
      <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={`${pct} % (${done} of ${total})`}>
        <div className="progress-done" style={{ width: `${Math.max(0, (done / Math.max(total, 1)) * 100 - failedPct)}%` }} />
        <div className="progress-failed" style={{ width: `${failedPct}%` }} />
      </div>
      <span className="num progress-text">
        {pct} % <span className="muted">({done.toLocaleString('en')}/{total.toLocaleString('en')})</span>
      </span>
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

interface FieldError {
  field: string;
  message: string;
}

/** A GraphQL error as the API sends it: the message, and every field error with its path. */
export function ErrorNote({ error }: { error: CombinedError | Error | string | null | undefined }) {
  if (!error) return null;
  const items: Array<{ message: string; fields: FieldError[] }> = [];
  if (typeof error === 'string') items.push({ message: error, fields: [] });
  else if ('graphQLErrors' in error && error.graphQLErrors.length) {
    for (const e of error.graphQLErrors) items.push({ message: e.message, fields: (e.extensions?.errors as FieldError[] | undefined) ?? [] });
  } else if ('networkError' in error && error.networkError) items.push({ message: `Cannot reach the API: ${error.networkError.message}`, fields: [] });
  else items.push({ message: error.message, fields: [] });
  return (
    <div className="error" role="alert">
      {items.map((e, i) => (
        <div key={i}>
          <strong>{e.message}</strong>
          {e.fields.length > 0 && (
            <ul>
              {e.fields.map((f, j) => (
                <li key={j}>
                  <code>{f.field}</code>: {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}

/**
 * A button that asks before it acts: a modal <dialog> (focus trapped by the browser, Escape
 * closes) with the question, then the outcome of the action in the same dialog.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel = label,
  danger = false,
  disabled = false,
  onConfirm,
}: {
  label: string;
  question: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  disabled?: boolean;
  onConfirm: () => Promise<ReactNode>;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ReactNode>(null);
  const [failure, setFailure] = useState<CombinedError | Error | null>(null);
  const open = () => {
    setOutcome(null);
    setFailure(null);
    ref.current?.showModal();
  };
  const confirm = async () => {
    setBusy(true);
    try {
      setOutcome(await onConfirm());
    } catch (e) {
      setFailure(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={danger ? 'danger' : undefined} onClick={open} disabled={disabled}>
        {label}
      </button>
      <dialog ref={ref} aria-label={label}>
        <div className="dialog-body">
          {outcome ? (
            <div role="status">{outcome}</div>
          ) : (
            <>
              <div>{question}</div>
              <ErrorNote error={failure} />
            </>
          )}
          <div className="actions">
            {!outcome && (
              <button type="button" className={danger ? 'danger' : 'primary'} onClick={() => void confirm()} disabled={busy}>
                {busy ? 'Working…' : confirmLabel}
              </button>
            )}
            <button type="button" onClick={() => ref.current?.close()}>
              {outcome ? 'Close' : 'Cancel'}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}

export const short = (id: string) => id.slice(0, 8);
