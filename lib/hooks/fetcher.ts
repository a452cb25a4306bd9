// The one SWR fetcher, and `send` for changes. A non-2xx answer becomes an
// ApiError carrying the server's own message and code ({ error: { code,
// message } }), so the UI can say what went wrong instead of "failed to fetch".
import { goToSignIn } from './sign-in-redirect';
import type { ApiErrorBody } from '../model';

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

/** The ApiError for a failed answer; a 401 also leaves for the sign-in page. */
async function errorFrom(res: Response, url: string): Promise<ApiError> {
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
    return new ApiError(`${url}: HTTP ${res.status} ${res.statusText}`.trim(), res.status, 'http_error', { cause: err });
  }
  if (isApiErrorBody(body)) {
    return new ApiError(body.error.message, res.status, String(body.error.code));
  }
  return new ApiError(`${url}: HTTP ${res.status} ${res.statusText}`.trim(), res.status, 'http_error');
}

export async function fetcher<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (res.ok) return (await res.json()) as T;
  throw await errorFrom(res, url);
}

/**
 * A change (POST, PATCH, DELETE) with an optional JSON body. Resolves to the
 * answer's JSON, or undefined for an empty answer (204); rejects with an
 * ApiError like the fetcher does.
 */
export async function send<T = undefined>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await errorFrom(res, url);
  const text = await res.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/**
 * POSTs raw bytes (a file, as the import preview takes it) and resolves to the
 * answer's JSON; rejects with an ApiError like `send`.
 */
export async function sendBytes<T>(url: string, body: Blob | ArrayBuffer): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/octet-stream' }, body });
  if (!res.ok) throw await errorFrom(res, url);
  return (await res.json()) as T;
}
