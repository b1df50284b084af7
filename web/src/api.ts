// The one door to Mortar's public API (/api, JSON:API). Cookie sessions: every request
// carries the session cookie; writes also carry the session's CSRF token.

export type Attributes = Record<string, unknown>;

export interface Resource<A = Attributes> {
  id: string;
  type: string;
  attributes: A;
  relationships?: Record<string, { data: { id: string; type: string }[] | { id: string; type: string } | null }>;
}

export interface PageMeta {
  'current-page': number;
  'next-page': number | null;
  'prev-page': number | null;
  'total-pages': number;
  'total-count': number;
}

export interface ListResult<A = Attributes> {
  data: Resource<A>[];
  meta: PageMeta;
  included?: Resource[];
}

// An error answered by the API: `detail` is what the user reads (errors[0].detail).
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly pointer?: string,
    readonly retryAfter?: number,
    // The error document's meta (e.g. the similar organizations of a 409).
    readonly meta?: Record<string, unknown>,
  ) {
    super(detail);
  }
  // The attribute a 422 names ("name" for /data/attributes/name).
  get attribute(): string | undefined {
    const m = this.pointer?.match(/\/data\/attributes\/([^/]+)/);
    return m ? m[1].replace(/_/g, '-') : undefined;
  }
}

let csrfToken = '';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called when a request answers 401 (session ended or expired).
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | undefined | null>;

function url(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return '/api' + path + (s ? (path.includes('?') ? '&' : '?') + s : '');
}

async function errorFrom(res: Response): Promise<ApiError> {
  let detail = `${res.status} ${res.statusText || 'error'}`;
  let pointer: string | undefined;
  let meta: Record<string, unknown> | undefined;
  try {
    const body = await res.json();
    if (body?.meta && typeof body.meta === 'object') meta = body.meta;
    const e = body?.errors?.[0];
    if (e) {
      detail = e.detail || e.title || detail;
      pointer = e.source?.pointer;
    }
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 429) {
    const after = Number(res.headers.get('Retry-After'));
    if (after > 0) detail += ` (try again in ${after} s)`;
    return new ApiError(429, detail, pointer, after || undefined, meta);
  }
  return new ApiError(res.status, detail, pointer, undefined, meta);
}

export async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/vnd.api+json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/vnd.api+json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the Mortar server. Check your connection and try again.');
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (res.status === 401 && !path.startsWith('/web_sessions') && onUnauthorized) onUnauthorized();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  list: <A = Attributes>(path: string, query?: Query) => request<ListResult<A>>('GET', path, { query }),
  one: async <A = Attributes>(path: string, query?: Query) =>
    (await request<{ data: Resource<A> }>('GET', path, { query })).data,
  create: async <A = Attributes>(path: string, type: string, attributes: Attributes, query?: Query) =>
    (await request<{ data: Resource<A> }>('POST', path, { query, body: { data: { type, attributes } } })).data,
  update: async <A = Attributes>(path: string, type: string, id: string, attributes: Attributes) =>
    (await request<{ data: Resource<A> }>('PATCH', path, { body: { data: { type, id, attributes } } })).data,
  action: async <A = Attributes>(path: string) => (await request<{ data: Resource<A> }>('PATCH', path)).data,
  remove: (path: string) => request<void>('DELETE', path),
};

// Fetches a small lookup list (types, statuses, categories, an organization's locations):
// at most 1000 entries, labelled by name, in `sort` order.
export async function lookup(path: string, sort = 'name'): Promise<{ value: string; label: string }[]> {
  const res = await api.list<{ name?: string }>(path, { 'page[size]': 1000, sort });
  return res.data.map((r) => ({ value: r.id, label: String(r.attributes.name ?? `#${r.id}`) }));
}

export function message(e: unknown): string {
  if (e instanceof ApiError) return e.detail;
  if (e instanceof Error) return e.message;
  return String(e);
}
