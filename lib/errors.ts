import type { ApiErrorBody } from './model';

export type ErrorCode =
  | 'bad_request'
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unknown_device'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_input: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unknown_device: 404,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** An error that knows its HTTP answer. The message is safe to show to the caller. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number; incidentId?: number },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.incidentId = options?.incidentId;
  }

  /** For 429 and 503: when to try again. */
  readonly retryAfterSeconds: number | undefined;
  /** The incident the refusal is about (a busy team's), answered beside the message. */
  readonly incidentId: number | undefined;

  get status(): number {
    return STATUS[this.code];
  }
}

/** Postgres/pg errors that mean "the database is not there right now". */
export function isDbUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === '57P01' || // admin_shutdown
    code === '57P02' ||
    code === '57P03' || // cannot_connect_now
    code === '08006' ||
    code === '08001' ||
    code === '08003' ||
    /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(err.message)
  );
}

/** Turns any error into the body and status we answer with; never leaks SQL or stacks. */
export function toErrorBody(err: unknown): { status: number; body: ApiErrorBody; headers: Record<string, string> } {
  if (err instanceof AppError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.incidentId !== undefined ? { incidentId: err.incidentId } : {}) } },
      headers:
        err.code === 'unavailable' || err.code === 'rate_limited' ? { 'Retry-After': String(err.retryAfterSeconds ?? 5) } : {},
    };
  }
  if (isDbUnavailable(err)) {
    return {
      status: 503,
      body: { error: { code: 'unavailable', message: 'The database is unavailable; retry shortly.' } },
      headers: { 'Retry-After': '5' },
    };
  }
  console.error('[error] unexpected:', err);
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'Internal error; it has been logged.' } },
    headers: {},
  };
}

/** For app/api route handlers. */
export function toResponse(err: unknown): Response {
  const { status, body, headers } = toErrorBody(err);
  return Response.json(body, { status, headers });
}
