// One organization's records of one kind: a paged table with create, edit and delete,
// declared by a small table of columns and form fields.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, type Attributes, type Resource } from '../api';
import { useList } from '../hooks';
import { can } from '../session';
import { Confirm, Empty, toast } from '../ui/basics';
import { FormDialog, type FieldSpec } from '../ui/form';
import { DataTable, Pagination, type Column } from '../ui/table';

export interface KindDef<A> {
  // Flat route ("/configurations") and the nested name under an organization.
  path: string;
  nested: string;
  type: string;
  singular: string;
  plural: string;
  columns: Column<A>[];
  fields: FieldSpec[];
  // Fields that depend on the organization (its locations, its contacts), after `fields`.
  orgFields?: (orgId: string) => FieldSpec[];
  sort: string;
  rowHref?: (orgId: string, row: Resource<A>) => string;
  emptyText: string;
  // Extra buttons in a row's action cell.
  rowActions?: (row: Resource<A>, reload: () => void) => ComponentChildren;
  // Turns the form's attributes into the create body (e.g. a configuration's interface).
  createBody?: (attributes: Attributes) => Attributes;
  canEdit?: boolean;
  // Called with the created record (e.g. to open a new document in its editor).
  afterCreate?: (orgId: string, created: Resource<A>) => void;
}

// A kind's form fields for one organization: its organization-dependent selects go before
// the trailing long-text fields (notes), so the form reads top to bottom.
export function formFields<A>(def: KindDef<A>, orgId: string): FieldSpec[] {
  const extra = def.orgFields?.(orgId) ?? [];
  let at = def.fields.length;
  while (at > 0 && def.fields[at - 1].kind === 'textarea') at--;
  return [...def.fields.slice(0, at), ...extra, ...def.fields.slice(at)];
}

export function ResourceTab<A>({
  orgId,
  def,
  toolbar,
}: {
  orgId: string;
  def: KindDef<A>;
  toolbar?: ComponentChildren;
}) {
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(50);
  const [sort, setSort] = useState(def.sort);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Resource<A> | null>(null);
  const [deleting, setDeleting] = useState<Resource<A> | null>(null);
  const list = useList<A>(`/organizations/${orgId}/relationships/${def.nested}`, {
    'page[number]': page,
    'page[size]': size,
    sort,
  });
  const columns: Column<A>[] = [
    ...def.columns,
    {
      label: 'Actions',
      class: 'col-actions',
      render: (row) => (
        <div class="row-actions">
          {def.rowActions?.(row, list.reload)}
          {def.canEdit !== false && can('update') && (
            <button
              type="button"
              class="btn btn-small btn-ghost"
              onClick={() => setEditing(row)}
              aria-label={`Edit ${String((row.attributes as Attributes).name ?? '')}`}
            >
              Edit
            </button>
          )}
          {can('delete') && (
            <button
              type="button"
              class="btn btn-small btn-ghost btn-danger-text"
              onClick={() => setDeleting(row)}
              aria-label={`Delete ${String((row.attributes as Attributes).name ?? '')}`}
            >
              Delete
            </button>
          )}
        </div>
      ),
    },
  ];
  return (
    <section aria-label={def.plural}>
      <div class="toolbar">
        {toolbar}
        <span class="toolbar-spacer" />
        {can('create') && (
          <button type="button" class="btn btn-primary" data-shortcut="n" onClick={() => setCreating(true)}>
            New {def.singular}
          </button>
        )}
      </div>
      <div class="card">
        <DataTable
          label={def.plural}
          columns={columns}
          rows={list.data?.data}
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          sort={sort}
          onSort={(s) => {
            setSort(s);
            setPage(1);
          }}
          rowHref={def.rowHref ? (r) => def.rowHref!(orgId, r) : undefined}
          empty={
            <Empty
              title={`No ${def.plural.toLowerCase()} yet`}
              action={
                can('create') && (
                  <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
                    Add a {def.singular}
                  </button>
                )
              }
            >
              {def.emptyText}
            </Empty>
          }
        />
        <Pagination
          meta={list.data?.meta}
          size={size}
          onPage={setPage}
          onSize={(s) => {
            setSize(s);
            setPage(1);
          }}
        />
      </div>
      {creating && (
        <FormDialog
          title={`New ${def.singular}`}
          fields={formFields(def, orgId)}
          submit={(a) =>
            api.create(
              `/organizations/${orgId}/relationships/${def.nested}`,
              def.type,
              def.createBody ? def.createBody(a) : a,
            )
          }
          onClose={() => setCreating(false)}
          onDone={(created) => {
            toast(`${cap(def.singular)} created`);
            if (def.afterCreate) def.afterCreate(orgId, created as Resource<A>);
            else list.reload();
          }}
        />
      )}
      {editing && (
        <FormDialog
          title={`Edit ${def.singular}`}
          fields={formFields(def, orgId)}
          record={editing.attributes as Attributes}
          submit={(a) => api.update(`${def.path}/${editing.id}`, def.type, editing.id, a)}
          onClose={() => setEditing(null)}
          onDone={() => {
            toast('Changes saved');
            list.reload();
          }}
        />
      )}
      {deleting && (
        <Confirm
          title={`Delete ${def.singular}`}
          text={`Delete “${String((deleting.attributes as Attributes).name ?? '#' + deleting.id)}”? This cannot be undone.`}
          action="Delete"
          onConfirm={async () => {
            await api.remove(`${def.path}/${deleting.id}`);
            toast(`${cap(def.singular)} deleted`);
            list.reload();
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
