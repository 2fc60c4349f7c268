/** Error body shape shared by every endpoint: `{ error: { code, message, details? } }`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }

  /** Validation details as a list of `{ field, message }`, or [] when absent. */
  get fieldErrors(): FieldError[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(isFieldError);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isFieldError(value: unknown): value is FieldError {
  return isRecord(value) && typeof value.field === 'string' && typeof value.message === 'string';
}

function readErrorBody(error: unknown, response: Response): ApiErrorBody {
  if (isRecord(error) && isRecord(error.error) && typeof error.error.code === 'string') {
    const inner = error.error;
    return {
      code: inner.code as string,
      message: typeof inner.message === 'string' ? inner.message : '',
      details: inner.details,
    };
  }
  const fallback = response.status >= 500 ? 'INTERNAL' : `HTTP_${response.status}`;
  return { code: fallback, message: response.statusText };
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Turns an openapi-fetch result into data or a thrown ApiError.
 * Checks `response.ok` (not `error`), since an empty error body yields `error: undefined`.
 */
export async function unwrap<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await pending;
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '' });
  }
  const { data, error, response } = result;
  if (!response.ok) throw new ApiError(response.status, readErrorBody(error, response));
  return data as T;
}

/** Seconds to wait from an AUTH_LOCKED error, if the server said. */
export function retryAfterSeconds(err: ApiError): number | null {
  const d = err.details;
  if (isRecord(d) && typeof d.retryAfterSeconds === 'number') return d.retryAfterSeconds;
  return null;
}

/** Like `unwrap`, for endpoints answering 204 (the body, if any, is ignored). */
export async function unwrapVoid(pending: Promise<FetchResult<unknown>>): Promise<void> {
  await unwrap(pending);
}
