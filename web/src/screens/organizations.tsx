// Organizations: the MSP's clients, paged and searched on the server (works with tens
// of thousands). A search goes through /api/search_results (every word a prefix), then
// the page's organizations are read in one request by id.
import { useEffect, useState } from 'preact/hooks';
import { api, type ListResult, type Resource } from '../api';
import { useAsync, emptyMeta } from '../hooks';
import { navigate, setQuery, useLocation } from '../router';
import { can } from '../session';
import { Badge, Empty, PageHeader, formatTime, text } from '../ui/basics';
import { DataTable, Pagination, type Column } from '../ui/table';
import { FormDialog, type FieldSpec } from '../ui/form';

export interface OrgAttrs {
  name: string;
  'short-name': string | null;
  'organization-type-name': string | null;
  'organization-status-name': string | null;
  description: string | null;
  'quick-notes': string | null;
  alert: string | null;
  'updated-at': string;
  'created-at': string;
  'parent-id': number | null;
}

export const ORG_FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', required: true, placeholder: 'Contoso Dental' },
  { name: 'short-name', label: 'Short name', placeholder: 'contoso' },
  {
    name: 'organization-type-id',
    label: 'Type',
    kind: 'select',
    lookup: '/organization_types',
    creatable: 'organization-types',
  },
  {
    name: 'organization-status-id',
    label: 'Status',
    kind: 'select',
    lookup: '/organization_statuses',
    creatable: 'organization-statuses',
  },
  { name: 'description', label: 'Description', kind: 'textarea' },
  { name: 'quick-notes', label: 'Quick notes', kind: 'textarea' },
  { name: 'alert', label: 'Alert', wide: true, help: 'Shown as a warning on the organization page' },
];

async function loadPage(q: string, page: number, size: number, sort: string): Promise<ListResult<OrgAttrs>> {
  if (!q) return api.list<OrgAttrs>('/organizations', { 'page[number]': page, 'page[size]': size, sort });
  const hits = await api.list<{ 'resource-id': number }>('/search_results', {
    q,
    'filter[resource_type]': 'organizations',
    'page[number]': page,
    'page[size]': size,
  });
  if (hits.data.length === 0) return { data: [], meta: hits.meta };
  const ids = hits.data.map((h) => h.attributes['resource-id']);
  const orgs = await api.list<OrgAttrs>('/organizations', { 'filter[id]': ids.join(','), 'page[size]': ids.length });
  const byId = new Map(orgs.data.map((o) => [Number(o.id), o]));
  return { data: ids.map((id) => byId.get(id)).filter((o): o is Resource<OrgAttrs> => !!o), meta: hits.meta };
}

export function OrganizationsScreen() {
  const loc = useLocation();
  const q = loc.query.get('q') ?? '';
  const page = Math.max(1, Number(loc.query.get('page')) || 1);
  const size = Number(loc.query.get('size')) || 50;
  const sort = loc.query.get('sort') ?? 'name';
  const [draft, setDraft] = useState(q);
  const [creating, setCreating] = useState(false);
  useEffect(() => setDraft(q), [q]);
  // Search as you type, a moment after the last key.
  useEffect(() => {
    if (draft === q) return;
    const t = setTimeout(() => setQuery({ q: draft.trim(), page: undefined }), 250);
    return () => clearTimeout(t);
  }, [draft]);

  const list = useAsync(() => loadPage(q, page, size, sort), [q, page, size, sort]);

  const columns: Column<OrgAttrs>[] = [
    {
      label: 'Name',
      sort: q ? undefined : 'name',
      render: (o) => (
        <a href={`/organizations/${o.id}`} class="cell-title">
          {o.attributes.name}
        </a>
      ),
    },
    { label: 'Short name', sort: q ? undefined : 'short_name', render: (o) => text(o.attributes['short-name']) },
    {
      label: 'Type',
      sort: q ? undefined : 'organization_type_name',
      render: (o) => text(o.attributes['organization-type-name']),
    },
    {
      label: 'Status',
      sort: q ? undefined : 'organization_status_name',
      render: (o) =>
        o.attributes['organization-status-name'] ? (
          <Badge tone="green">{o.attributes['organization-status-name']}</Badge>
        ) : (
          '—'
        ),
    },
    {
      label: 'Updated',
      sort: q ? undefined : 'updated_at',
      class: 'col-time',
      render: (o) => formatTime(o.attributes['updated-at']),
    },
  ];

  return (
    <div class="page">
      <PageHeader
        title="Organizations"
        subtitle="Your clients and their documentation"
        actions={
          can('create', 'organizations') && (
            <button type="button" class="btn btn-primary" data-shortcut="n" onClick={() => setCreating(true)}>
              New organization
            </button>
          )
        }
      />
      <div class="toolbar">
        <input
          type="search"
          class="toolbar-search"
          placeholder="Filter organizations by name…"
          aria-label="Filter organizations"
          value={draft}
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === 'Enter' && setQuery({ q: draft.trim(), page: undefined })}
        />
      </div>
      <div class="card">
        <DataTable
          label="Organizations"
          columns={columns}
          rows={list.data?.data}
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          sort={sort}
          onSort={(s) => setQuery({ sort: s, page: undefined })}
          rowHref={(o) => `/organizations/${o.id}`}
          empty={
            q ? (
              <Empty title={`No organization matches “${q}”`}>Try fewer or shorter words.</Empty>
            ) : (
              <Empty
                title="No organizations yet"
                action={
                  can('create', 'organizations') && (
                    <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
                      Create the first organization
                    </button>
                  )
                }
              >
                Each client you document is an organization.
              </Empty>
            )
          }
        />
        <Pagination
          meta={list.data?.meta ?? (list.loading ? undefined : emptyMeta())}
          size={size}
          onPage={(p) => setQuery({ page: p > 1 ? p : undefined })}
          onSize={(s) => setQuery({ size: s === 50 ? undefined : s, page: undefined })}
        />
      </div>
      {creating && (
        <FormDialog
          title="New organization"
          fields={ORG_FIELDS}
          submit={(a) => api.create('/organizations', 'organizations', a)}
          onClose={() => setCreating(false)}
          onDone={(r) => navigate(`/organizations/${(r as Resource).id}`)}
        />
      )}
    </div>
  );
}
