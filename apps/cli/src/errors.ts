/** Exit codes (documented in apps/cli/README.md). */
export const ExitCode = {
  Ok: 0,
  /** the API refused the request (4xx other than below, 5xx) or could not be reached */
  Failed: 1,
  /** bad usage: unknown command or option, unreadable file */
  Usage: 2,
  /** not logged in, token refused (401) or role too low (403) */
  Auth: 3,
  /** not found (404) */
  NotFound: 4,
  /** invalid input: the API answered 400/422 with field errors, or `netpol validate` found the policy invalid */
  Invalid: 5,
  /** `rollouts watch`: the rollout ended failed or cancelled */
  RolloutFailed: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Failed,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** A problem+json answer as a CLI error: its detail, then one line per field error. */
export function problemError(status: number, problem: Problem | null, fallback: string): CliError {
  const code = status === 401 || status === 403 ? ExitCode.Auth : status === 404 ? ExitCode.NotFound : status === 400 || status === 422 ? ExitCode.Invalid : ExitCode.Failed;
  const head = `${problem?.title ?? `HTTP ${status}`}${problem?.detail && problem.detail !== problem.title ? `: ${problem.detail}` : ''}`;
  const lines = (problem?.errors ?? []).map((e) => `  ${e.field}: ${e.message}`);
  return new CliError(problem ? head : `HTTP ${status}: ${fallback}`, code, lines);
}
