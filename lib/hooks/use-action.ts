'use client';
// One button row's requests: which one is in flight (by a key the caller
// chooses), and the last refusal's message, shown where the button is.
import { useCallback, useState } from 'react';

export interface ActionState {
  /** The key of the request in flight, or null. */
  pending: string | null;
  /** The last failure's message (the server's own words for an ApiError), or null. */
  error: string | null;
  /** Runs `fn` under `key` unless another request is in flight; resolves to its answer, or undefined if it failed. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T | undefined>;
  clearError(): void;
}

export function useAction(): ActionState {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T>(key: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setPending(key);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError((err as Error).message);
      return undefined;
    } finally {
      setPending(null);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { pending, error, run, clearError };
}
