// The signed-in user's web session (cookie login, /api/web_sessions).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request, setCsrfToken, type Resource } from './api';

export interface SessionAttributes {
  'csrf-token': string;
  'user-id': number;
  email: string;
  name: string;
  role: string;
  'expires-at': string;
}

export type Session = SessionAttributes | null;

let current: Session | undefined; // undefined: not yet known
const listeners = new Set<() => void>();

function set(s: Session): void {
  current = s;
  setCsrfToken(s?.['csrf-token'] ?? '');
  listeners.forEach((l) => l());
}

export function useSession(): Session | undefined {
  const [, rerender] = useState(0);
  useEffect(() => {
    const l = () => rerender((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return current;
}

export function isAdmin(): boolean {
  return current?.role === 'administrator';
}

// Matching backup portal customers and assets (administrators and managers).
export function canMatch(): boolean {
  return current?.role === 'administrator' || current?.role === 'manager';
}

// Sync now of a configuration's backup data (editors and above).
export function canSyncBackup(): boolean {
  return canMatch() || current?.role === 'editor';
}

// Asks the server whether the cookie is a live session.
export async function loadSession(): Promise<void> {
  try {
    const res = await request<{ data: Resource<SessionAttributes> }>('GET', '/web_sessions/current');
    set(res.data.attributes);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) set(null);
    else throw e;
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  const res = await request<{ data: Resource<SessionAttributes> }>('POST', '/web_sessions', {
    body: { data: { type: 'web-sessions', attributes: { email, password } } },
  });
  set(res.data.attributes);
}

export async function signOut(): Promise<void> {
  try {
    await request<void>('DELETE', '/web_sessions/current');
  } finally {
    set(null);
  }
}

// The session ended on the server (a 401 from any request).
export function sessionEnded(): void {
  if (current) set(null);
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await request('PATCH', '/web_sessions/current', {
    body: {
      data: { type: 'web-sessions', attributes: { 'current-password': currentPassword, 'new-password': newPassword } },
    },
  });
}

// What the signed-in user's role may do (docs/ACCESS.md), to hide actions the server would
// refuse; the server decides.
export type Verb = 'read' | 'create' | 'update' | 'delete' | 'reveal' | 'complete';
export type ResourceClass = 'documentation' | 'organizations' | 'configuration';

const ALL: Verb[] = ['read', 'create', 'update', 'delete', 'reveal', 'complete'];
const CRUD: Verb[] = ['read', 'create', 'update', 'delete'];
const ROLE_TABLE: Record<string, Record<ResourceClass, Verb[]>> = {
  administrator: { documentation: ALL, organizations: CRUD, configuration: CRUD },
  manager: { documentation: ALL, organizations: CRUD, configuration: CRUD },
  editor: { documentation: ALL, organizations: ['read', 'update'], configuration: ['read'] },
  creator: {
    documentation: ['read', 'create', 'update', 'reveal', 'complete'],
    organizations: ['read', 'update'],
    configuration: ['read'],
  },
  lite: { documentation: ['read', 'reveal', 'complete'], organizations: ['read'], configuration: ['read'] },
  'read-only': { documentation: ['read'], organizations: ['read'], configuration: ['read'] },
};

export function can(verb: Verb, cls: ResourceClass = 'documentation'): boolean {
  const role = current?.role;
  if (!role) return false;
  const row = ROLE_TABLE[role];
  // A role this UI does not know: show the action and let the server answer.
  return row ? row[cls].includes(verb) : true;
}
