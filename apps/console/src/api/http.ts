import type { ConsoleSession } from '../auth/session';

/** An answer of the admin API that is not a success: `{ error, message }` and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get forbidden(): boolean {
    return this.status === 403;
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
}

/** The admin API with the session's bearer token; a 401 renews the token once and retries. */
export class AdminApi {
  constructor(
    private readonly baseUrl: string,
    private readonly session: ConsoleSession,
  ) {}

  url(path: string, query?: Query): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  private async send(method: string, path: string, options: RequestOptions, retried = false): Promise<Response> {
    const token = retried ? await this.session.renew() : await this.session.accessToken();
    const response = await fetch(this.url(path, options.query), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json, application/x-ndjson',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (response.status === 401 && !retried) return this.send(method, path, options, true);
    if (!response.ok) throw await apiError(response);
    return response;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  /** For downloads (the audit export): the raw body. */
  async blob(path: string, query?: Query): Promise<Blob> {
    return (await this.send('GET', path, { query })).blob();
  }
}

async function apiError(response: Response): Promise<ApiError> {
  const fallback = response.status === 403 ? 'You do not have permission to do this.' : response.statusText;
  try {
    const body = (await response.json()) as { error?: string; message?: string };
    return new ApiError(response.status, body.error ?? 'error', body.message ?? fallback);
  } catch {
    return new ApiError(response.status, 'error', fallback || `HTTP ${response.status}`);
  }
}
