// The one SWR fetcher. A non-2xx answer becomes an ApiError carrying the
// server's own message and code ({ error: { code, message } }), so the UI can
// say what went wrong instead of "failed to fetch".
import { goToSignIn } from './sign-in-redirect';
import type { ApiErrorBody } from '../api-types';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const e = (body as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';
}

export async function fetcher<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (res.ok) return (await res.json()) as T;
  // The session ended (logout elsewhere, revocation, expiry): back to the sign-in page.
  if (res.status === 401 && typeof window !== 'undefined') {
    goToSignIn();
  }

  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch (err) {
    // Not our JSON (a proxy's HTML page, an empty body): report the status and keep the cause.
    throw new ApiError(`${url}: HTTP ${res.status} ${res.statusText}`.trim(), res.status, 'http_error', { cause: err });
  }
  if (isApiErrorBody(body)) {
    throw new ApiError(body.error.message, res.status, String(body.error.code));
  }
  throw new ApiError(`${url}: HTTP ${res.status} ${res.statusText}`.trim(), res.status, 'http_error');
}
