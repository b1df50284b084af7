// Global search (/api/search_results): every word of the query must start a word of the
// record's title; results from every organization, paged on the server.
import type { Resource } from '../api';
import { useList } from '../hooks';
import { kindLabel, recordHref } from '../links';
import { setQuery, useLocation } from '../router';
import { Badge, Empty, PageHeader, formatTime } from '../ui/basics';
import { DataTable, Pagination, type Column } from '../ui/table';

interface HitAttrs {
  'resource-type': string;
  'resource-id': number;
  title: string;
  'organization-id': number | null;
  'organization-name': string | null;
  'updated-at': string;
}

const KINDS = [
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

const COLUMNS: Column<HitAttrs>[] = [
  {
    label: 'Title',
    render: (r) => {
      const h = r.attributes;
      const href = recordHref(h['resource-type'], h['resource-id'], h['organization-id']);
      return href ? (
        <a class="cell-title" href={href}>
          {h.title}
        </a>
      ) : (
        <span class="cell-title">{h.title}</span>
      );
    },
  },
  { label: 'Kind', render: (r) => <Badge>{kindLabel(r.attributes['resource-type'])}</Badge> },
  {
    label: 'Organization',
    render: (r) =>
      r.attributes['organization-id'] ? (
        <a href={`/organizations/${r.attributes['organization-id']}`}>{r.attributes['organization-name']}</a>
      ) : (
        '—'
      ),
  },
  { label: 'Updated', class: 'col-time', render: (r) => formatTime(r.attributes['updated-at']) },
];

export function SearchScreen() {
  const loc = useLocation();
  const q = (loc.query.get('q') ?? '').trim();
  const kind = loc.query.get('kind') ?? '';
  const page = Math.max(1, Number(loc.query.get('page')) || 1);
  const size = 50;
  const list = useList<HitAttrs>(q ? '/search_results' : null, {
    q,
    'filter[resource_type]': kind || undefined,
    'page[number]': page,
    'page[size]': size,
  });
  return (
    <div class="page">
      <PageHeader
        title={q ? `Results for “${q}”` : 'Search'}
        subtitle="Organizations, configurations, contacts, passwords, documents and more"
      />
      <div class="toolbar">
        <div class="chips" role="group" aria-label="Kind">
          {KINDS.map((k) => (
            <button
              key={k}
              type="button"
              class={k === kind ? 'chip chip-active' : 'chip'}
              aria-pressed={k === kind}
              onClick={() => setQuery({ kind: k, page: undefined })}
            >
              {k ? kindLabel(k) + 's' : 'Everything'}
            </button>
          ))}
        </div>
      </div>
      {!q ? (
        <div class="card">
          <Empty title="Search everything">
            Type in the search box at the top (press <kbd>/</kbd>) and press Enter.
          </Empty>
        </div>
      ) : (
        <div class="card">
          <DataTable
            label="Search results"
            columns={COLUMNS}
            rows={list.data?.data as Resource<HitAttrs>[] | undefined}
            loading={list.loading}
            error={list.error}
            onRetry={list.reload}
            rowHref={(r) =>
              recordHref(r.attributes['resource-type'], r.attributes['resource-id'], r.attributes['organization-id']) ??
              ''
            }
            empty={
              <Empty title={`Nothing matches “${q}”`}>
                Each word matches the start of a word in a title: try fewer or shorter words.
              </Empty>
            }
          />
          <Pagination meta={list.data?.meta} size={size} onPage={(p) => setQuery({ page: p > 1 ? p : undefined })} />
        </div>
      )}
    </div>
  );
}
