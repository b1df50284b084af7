// The activity log: who created, changed, deleted or revealed what, and when.
import { useEffect, useState } from 'preact/hooks';
import { api, type Resource } from '../api';
import { useList } from '../hooks';
import { kindLabel, recordHref } from '../links';
import { isAdmin, useSession } from '../session';
import { setQuery, useLocation } from '../router';
import { Badge, Empty, PageHeader, formatTime } from '../ui/basics';
import { DataTable, Pagination, type Column } from '../ui/table';

export interface EventAttrs {
  'occurred-at': string;
  action: string;
  'resource-type': string;
  'resource-id': number;
  'resource-name': string | null;
  'organization-id': number | null;
  'actor-key-id': number | null;
  'actor-user-id'?: number | null;
  'actor-name'?: string | null;
  changes: Record<string, { from: unknown; to: unknown }> | null;
}

const ACTION_TONES: Record<string, 'green' | 'blue' | 'red' | 'amber'> = {
  create: 'green',
  update: 'blue',
  delete: 'red',
  reveal: 'amber',
};
const ACTION_LABELS: Record<string, string> = {
  create: 'Created',
  update: 'Updated',
  delete: 'Deleted',
  reveal: 'Revealed',
};

function short(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v)) return formatTime(v);
  const s = typeof v === 'string' ? v.replace(/<[^>]*>/g, ' ') : JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

function Changes({ e }: { e: EventAttrs }) {
  if (e.action === 'reveal') return <span class="muted">Password shown</span>;
  // The organization is the row's context already; show what else changed.
  const entries = Object.entries(e.changes ?? {}).filter(([k]) => k !== 'organization-id' && k !== 'organization_id');
  if (entries.length === 0) return <span class="muted">—</span>;
  const shown = entries.slice(0, 3);
  return (
    <span class="changes">
      {shown.map(([k, c]) => (
        <span key={k} class="change">
          <span class="change-key">{k.replace(/_/g, ' ')}</span>{' '}
          {e.action === 'update' ? (
            <>
              <s class="muted">{short(c.from)}</s> → {short(c.to)}
            </>
          ) : e.action === 'create' ? (
            short(c.to)
          ) : (
            short(c.from)
          )}
        </span>
      ))}
      {entries.length > 3 && <span class="muted"> +{entries.length - 3} more</span>}
    </span>
  );
}

// User names for the "By" column: administrators may list users; others see their own
// name and ids.
let usersOnce: Promise<Record<string, string>> | null = null;
function userNames(): Promise<Record<string, string>> {
  usersOnce ??= api
    .list<{ name?: string; email?: string }>('/mortar_users', { 'page[size]': 1000 })
    .then((r) => Object.fromEntries(r.data.map((u) => [u.id, String(u.attributes.name || u.attributes.email || '')])))
    .catch(() => ({}));
  return usersOnce;
}

function useUserNames(): Record<string, string> {
  const session = useSession();
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    if (isAdmin()) userNames().then(setNames);
  }, [session?.['user-id']]);
  return session ? { ...names, [String(session['user-id'])]: session.name || session.email } : names;
}

function actor(e: EventAttrs, users: Record<string, string>): string {
  if (e['actor-name']) return e['actor-name'];
  if (e['actor-user-id']) return users[String(e['actor-user-id'])] || `User #${e['actor-user-id']}`;
  if (e['actor-key-id']) return `API key #${e['actor-key-id']}`;
  return 'System';
}

// Flat list routes by record type, for naming events recorded without a name (reveals).
const LIST_ROUTES: Record<string, string> = {
  passwords: '/passwords',
  configurations: '/configurations',
  documents: '/documents',
  contacts: '/contacts',
  locations: '/locations',
  checklists: '/checklists',
  organizations: '/organizations',
};

// Fills in missing record names with one request per record type on the page.
function useNames(rows: Resource<EventAttrs>[] | undefined): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    const missing: Record<string, Set<number>> = {};
    for (const r of rows ?? []) {
      const e = r.attributes;
      const key = `${e['resource-type']}:${e['resource-id']}`;
      if (e['resource-name'] || key in names || !LIST_ROUTES[e['resource-type']] || e.action === 'delete') continue;
      (missing[e['resource-type']] ??= new Set()).add(e['resource-id']);
    }
    for (const [type, ids] of Object.entries(missing)) {
      api.list<{ name?: string }>(LIST_ROUTES[type], { 'filter[id]': [...ids].join(','), 'page[size]': ids.size }).then(
        (res) =>
          setNames((n) => ({
            ...n,
            ...Object.fromEntries(res.data.map((x) => [`${type}:${x.id}`, String(x.attributes.name ?? '')])),
          })),
        () => undefined, // the id stays shown
      );
    }
  }, [rows]);
  return names;
}

export function eventColumns(names: Record<string, string>, users: Record<string, string>): Column<EventAttrs>[] {
  return [
    { label: 'When', sort: 'occurred_at', class: 'col-time', render: (r) => formatTime(r.attributes['occurred-at']) },
    {
      label: 'Action',
      render: (r) => (
        <Badge tone={ACTION_TONES[r.attributes.action] ?? 'blue'}>
          {ACTION_LABELS[r.attributes.action] ?? r.attributes.action}
        </Badge>
      ),
    },
    {
      label: 'Record',
      render: (r) => {
        const e = r.attributes;
        const href =
          e.action === 'delete' ? null : recordHref(e['resource-type'], e['resource-id'], e['organization-id']);
        const name = e['resource-name'] || names[`${e['resource-type']}:${e['resource-id']}`] || `#${e['resource-id']}`;
        return (
          <span>
            <span class="muted kind">{kindLabel(e['resource-type'])}</span> {href ? <a href={href}>{name}</a> : name}
          </span>
        );
      },
    },
    { label: 'By', class: 'col-nowrap', render: (r) => actor(r.attributes, users) },
    { label: 'Changes', render: (r) => <Changes e={r.attributes} /> },
  ];
}

export function ActivityTable({ path, filters = {} }: { path: string; filters?: Record<string, string> }) {
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState('-occurred_at');
  const size = 50;
  const list = useList<EventAttrs>(path, { 'page[number]': page, 'page[size]': size, sort, ...filters });
  const names = useNames(list.data?.data);
  const users = useUserNames();
  return (
    <div class="card">
      <DataTable
        label="Activity"
        columns={eventColumns(names, users)}
        rows={list.data?.data as Resource<EventAttrs>[] | undefined}
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        sort={sort}
        onSort={setSort}
        empty={<Empty title="No activity yet">Changes and password reveals appear here as they happen.</Empty>}
      />
      <Pagination meta={list.data?.meta} size={size} onPage={setPage} />
    </div>
  );
}

const TYPES = [
  '',
  'organizations',
  'configurations',
  'contacts',
  'locations',
  'passwords',
  'documents',
  'checklists',
  'flexible-assets',
];

export function ActivityScreen() {
  const loc = useLocation();
  const action = loc.query.get('action') ?? '';
  const type = loc.query.get('type') ?? '';
  const filters: Record<string, string> = {};
  if (action) filters['filter[action]'] = action;
  if (type) filters['filter[resource_type]'] = type;
  return (
    <div class="page">
      <PageHeader title="Activity" subtitle="Every change and password reveal across your organizations" />
      <div class="toolbar">
        <label class="inline-label">
          Action
          <select value={action} onChange={(e) => setQuery({ action: (e.target as HTMLSelectElement).value })}>
            <option value="">All</option>
            <option value="create">Created</option>
            <option value="update">Updated</option>
            <option value="delete">Deleted</option>
            <option value="reveal">Revealed</option>
          </select>
        </label>
        <label class="inline-label">
          Kind
          <select value={type} onChange={(e) => setQuery({ type: (e.target as HTMLSelectElement).value })}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t ? kindLabel(t) : 'All'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ActivityTable key={action + type} path="/activity_events" filters={filters} />
    </div>
  );
}
