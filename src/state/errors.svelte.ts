// The app-level error: unexpected failures are caught once and shown in one banner at the top.
// A user's cancel (AbortError) is not an error and is never shown.
import { isAbortError } from '../core/errors.ts';

export interface AppError {
  /** Error code (StocktakeError.code) mapped to a translated headline; 'UNKNOWN' otherwise. */
  code: string;
  message: string;
  /** Increments per report, so the banner can key on it. */
  id: number;
}

/** Reads `code` and `message` of anything thrown (only these survive a worker boundary). */
export function describeError(e: unknown): { code: string; message: string } {
  if (e && typeof e === 'object') {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return {
      code: typeof code === 'string' && code ? code : 'UNKNOWN',
      message: typeof message === 'string' ? message : String(e),
    };
  }
  return { code: 'UNKNOWN', message: String(e) };
}

class ErrorState {
  current: AppError | null = $state(null);
  #next = 1;

  /** Shows `e` in the banner, replacing any earlier error; returns false for cancels (not shown). */
  report(e: unknown): boolean {
    if (isAbortError(e)) return false;
    console.error(e);
    this.current = { ...describeError(e), id: this.#next++ };
    return true;
  }

  dismiss(): void {
    this.current = null;
  }
}

export const appErrors = new ErrorState();
