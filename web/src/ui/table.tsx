// Dense, readable tables over server-side paged lists.
import type { ComponentChildren } from 'preact';
import type { PageMeta, Resource } from '../api';
import { navigate } from '../router';
import { Empty, ErrorBanner, SkeletonRows, number } from './basics';

export interface Column<A> {
  label: string;
  // The API's sort key when the column can be sorted ("name", "updated_at").
  sort?: string;
  render: (row: Resource<A>) => ComponentChildren;
  class?: string;
}

export function DataTable<A>({
  columns,
  rows,
  loading,
  error,
  onRetry,
  empty,
  rowHref,
  rowClass,
  sort,
  onSort,
  label,
}: {
  columns: Column<A>[];
  rows: Resource<A>[] | undefined;
  loading: boolean;
  error?: unknown;
  onRetry?: () => void;
  empty: ComponentChildren;
  rowHref?: (row: Resource<A>) => string;
  rowClass?: (row: Resource<A>) => string | undefined;
  sort?: string;
  onSort?: (sort: string) => void;
  label: string;
}) {
  const showSkeleton = loading && (!rows || rows.length === 0);
  return (
    <div class="table-wrap">
      <ErrorBanner error={error} onRetry={onRetry} />
      <table class={loading && !showSkeleton ? 'table table-loading' : 'table'} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => {
              if (!c.sort || !onSort)
                return (
                  <th key={c.label} class={c.class} scope="col">
                    {c.label}
                  </th>
                );
              const dir = sort === c.sort ? 'ascending' : sort === '-' + c.sort ? 'descending' : undefined;
              return (
                <th key={c.label} class={c.class} scope="col" aria-sort={dir ?? 'none'}>
                  <button
                    type="button"
                    class="th-sort"
                    onClick={() => onSort(dir === 'ascending' ? '-' + c.sort : c.sort!)}
                  >
                    {c.label}
                    <span class="sort-mark" aria-hidden="true">
                      {dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : '↕'}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        {showSkeleton ? (
          <SkeletonRows cols={columns.length} />
        ) : (
          <tbody>
            {(rows ?? []).map((row) => {
              const href = rowHref?.(row);
              return (
                <tr
                  key={row.id}
                  class={[href ? 'row-link' : '', rowClass?.(row) ?? ''].filter(Boolean).join(' ') || undefined}
                  onClick={
                    href
                      ? (e) => {
                          if ((e.target as Element).closest('a,button,input,label')) return;
                          navigate(href);
                        }
                      : undefined
                  }
                >
                  {columns.map((c) => (
                    <td key={c.label} class={c.class}>
                      {c.render(row)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        )}
      </table>
      {!loading && !error && rows && rows.length === 0 && <div class="table-empty">{empty}</div>}
    </div>
  );
}

export const PAGE_SIZES = [25, 50, 100];

export function Pagination({
  meta,
  size,
  onPage,
  onSize,
}: {
  meta: PageMeta | undefined;
  size: number;
  onPage: (page: number) => void;
  onSize?: (size: number) => void;
}) {
  if (!meta || meta['total-count'] === 0) return null;
  const page = meta['current-page'];
  const first = (page - 1) * size + 1;
  const last = Math.min(page * size, meta['total-count']);
  return (
    <div class="pager">
      <span class="pager-info">
        {number.format(first)}–{number.format(last)} of {number.format(meta['total-count'])}
      </span>
      {onSize && (
        <label class="pager-size">
          Rows
          <select value={String(size)} onChange={(e) => onSize(Number((e.target as HTMLSelectElement).value))}>
            {PAGE_SIZES.map((s) => (
              <option key={s} value={String(s)}>
                {s}
              </option>
            ))}
          </select>
        </label>
      )}
      <div class="pager-buttons">
        <button
          type="button"
          class="btn btn-small"
          disabled={page <= 1}
          onClick={() => onPage(1)}
          aria-label="First page"
        >
          «
        </button>
        <button
          type="button"
          class="btn btn-small"
          disabled={meta['prev-page'] === null}
          onClick={() => onPage(page - 1)}
        >
          Previous
        </button>
        <span class="pager-page">
          Page {number.format(page)} of {number.format(Math.max(1, meta['total-pages']))}
        </span>
        <button
          type="button"
          class="btn btn-small"
          disabled={meta['next-page'] === null}
          onClick={() => onPage(page + 1)}
        >
          Next
        </button>
        <button
          type="button"
          class="btn btn-small"
          disabled={page >= meta['total-pages']}
          onClick={() => onPage(meta['total-pages'])}
          aria-label="Last page"
        >
          »
        </button>
      </div>
    </div>
  );
}

export { Empty };
