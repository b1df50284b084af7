// Administration (administrators only; the server answers 403 to anyone else): users,
// groups and API keys.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, message, type Attributes, type Resource } from '../api';
import { useList } from '../hooks';
import { isAdmin } from '../session';
import { Badge, Confirm, Empty, Modal, Notice, PageHeader, formatTime, text, toast, Mono } from '../ui/basics';
import { FormDialog, type FieldSpec } from '../ui/form';
import { DataTable, Pagination, type Column } from '../ui/table';

const ROLES = ['administrator', 'manager', 'editor', 'creator', 'lite', 'read-only'].map((r) => ({
  value: r,
  label: r.charAt(0).toUpperCase() + r.slice(1),
}));

function orgList(name: string, label: string, help: string): FieldSpec {
  return { name, label, kind: 'orgs', wide: true, help };
}

function AdminOnly({ children }: { children: ComponentChildren }) {
  if (!isAdmin()) return <Notice tone="warn">Only administrators can manage users, groups and API keys.</Notice>;
  return <>{children}</>;
}

function AdminList<A = Attributes>({
  path,
  type,
  singular,
  plural,
  columns,
  createFields,
  editFields,
  sort,
  emptyText,
  subtitle,
  afterCreate,
  deleteLabel = 'Delete',
}: {
  path: string;
  type: string;
  singular: string;
  plural: string;
  columns: Column<A>[];
  createFields: FieldSpec[];
  editFields?: FieldSpec[];
  sort?: string;
  emptyText: string;
  subtitle: string;
  afterCreate?: (r: Resource<A>) => void;
  deleteLabel?: string;
}) {
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Resource<A> | null>(null);
  const [deleting, setDeleting] = useState<Resource<A> | null>(null);
  const size = 50;
  const list = useList<A>(path, { 'page[number]': page, 'page[size]': size, sort });
  const all: Column<A>[] = [
    ...columns,
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => (
        <div class="row-actions">
          {editFields && (
            <button type="button" class="btn btn-small btn-ghost" onClick={() => setEditing(r)}>
              Edit
            </button>
          )}
          <button type="button" class="btn btn-small btn-ghost btn-danger-text" onClick={() => setDeleting(r)}>
            {deleteLabel}
          </button>
        </div>
      ),
    },
  ];
  const nameOf = (r: Resource<A>) =>
    String((r.attributes as Attributes).name ?? (r.attributes as Attributes).email ?? '#' + r.id);
  return (
    <div class="page">
      <PageHeader
        title={plural}
        subtitle={subtitle}
        actions={
          isAdmin() && (
            <button type="button" class="btn btn-primary" data-shortcut="n" onClick={() => setCreating(true)}>
              New {singular}
            </button>
          )
        }
      />
      <AdminOnly>
        <div class="card">
          <DataTable
            label={plural}
            columns={all}
            rows={list.data?.data}
            loading={list.loading}
            error={list.error}
            onRetry={list.reload}
            empty={<Empty title={`No ${plural.toLowerCase()} yet`}>{emptyText}</Empty>}
          />
          <Pagination meta={list.data?.meta} size={size} onPage={setPage} />
        </div>
      </AdminOnly>
      {creating && (
        <FormDialog
          title={`New ${singular}`}
          fields={createFields}
          submit={(a) => api.create(path, type, a)}
          onClose={() => setCreating(false)}
          onDone={(r) => {
            toast(`${singular.charAt(0).toUpperCase() + singular.slice(1)} created`);
            list.reload();
            afterCreate?.(r as Resource<A>);
          }}
        />
      )}
      {editing && editFields && (
        <FormDialog
          title={`Edit ${singular}`}
          fields={editFields}
          record={editing.attributes as Attributes}
          submit={(a) => api.update(`${path}/${editing.id}`, type, editing.id, a)}
          onClose={() => setEditing(null)}
          onDone={() => {
            toast('Changes saved');
            list.reload();
          }}
        />
      )}
      {deleting && (
        <Confirm
          title={`${deleteLabel} ${singular}`}
          text={`${deleteLabel} “${nameOf(deleting)}”? This cannot be undone.`}
          action={deleteLabel}
          onConfirm={async () => {
            await api.remove(`${path}/${deleting.id}`);
            toast(
              `${singular.charAt(0).toUpperCase() + singular.slice(1)} ${deleteLabel === 'Revoke' ? 'revoked' : 'deleted'}`,
            );
            list.reload();
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </div>
  );
}

const USER_COMMON: FieldSpec[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'email', label: 'Email', kind: 'email', required: true },
  { name: 'role', label: 'Role', kind: 'select', required: true, options: ROLES },
  {
    name: 'all-organizations',
    label: 'All organizations',
    kind: 'checkbox',
    help: 'May access every organization',
    initial: true,
  },
  orgList('organization-ids', 'Organizations', 'When not all organizations: the ones this user may access'),
  { name: 'group-ids', label: 'Groups', kind: 'multi', lookup: '/mortar_groups', wide: true },
  { name: 'disabled', label: 'Disabled', kind: 'checkbox', help: 'Disabled (cannot sign in)' },
];

export function UsersScreen() {
  return (
    <AdminList<Attributes>
      path="/mortar_users"
      type="mortar-users"
      singular="user"
      plural="Users"
      subtitle="People who sign in to Mortar, their roles and the organizations they may see"
      sort="name"
      emptyText="Add the technicians who document your clients."
      columns={[
        { label: 'Name', render: (r) => <span class="cell-title">{text(r.attributes.name)}</span> },
        { label: 'Email', render: (r) => text(r.attributes.email) },
        {
          label: 'Role',
          render: (r) => (
            <Badge tone={r.attributes.role === 'administrator' ? 'blue' : 'neutral'}>{text(r.attributes.role)}</Badge>
          ),
        },
        {
          label: 'Access',
          render: (r) =>
            r.attributes['all-organizations'] !== false
              ? 'All organizations'
              : `${(r.attributes['organization-ids'] as number[] | undefined)?.length ?? 0} organizations`,
        },
        {
          label: 'State',
          render: (r) =>
            r.attributes.disabled ? (
              <Badge tone="red">Disabled</Badge>
            ) : r.attributes['locked-until'] && new Date(String(r.attributes['locked-until'])) > new Date() ? (
              <Badge tone="amber">Locked</Badge>
            ) : (
              <Badge tone="green">Active</Badge>
            ),
        },
        { label: 'Last sign-in', class: 'col-time', render: (r) => formatTime(r.attributes['last-login-at']) },
      ]}
      createFields={[
        ...USER_COMMON.slice(0, 3),
        { name: 'password', label: 'Password', kind: 'password', required: true, help: 'At least 12 characters' },
        ...USER_COMMON.slice(3),
      ]}
      editFields={[
        ...USER_COMMON.slice(0, 3),
        {
          name: 'new-password',
          label: 'New password',
          kind: 'password',
          help: 'Leave empty to keep the current password',
          set: (v) => (v ? { password: v } : {}),
        },
        ...USER_COMMON.slice(3),
      ]}
    />
  );
}

export function GroupsScreen() {
  const fields: FieldSpec[] = [
    { name: 'name', label: 'Name', required: true },
    { name: 'description', label: 'Description', wide: true },
    { name: 'member-ids', label: 'Members', kind: 'multi', lookup: '/mortar_users', wide: true },
    orgList('organization-ids', 'Organizations', 'Members may also access these organizations'),
  ];
  return (
    <AdminList<Attributes>
      path="/mortar_groups"
      type="mortar-groups"
      singular="group"
      plural="Groups"
      subtitle="Teams of users, and the organizations their members may access"
      sort="name"
      emptyText="Groups give several users the same access at once."
      columns={[
        { label: 'Name', render: (r) => <span class="cell-title">{text(r.attributes.name)}</span> },
        { label: 'Description', render: (r) => text(r.attributes.description) },
        { label: 'Members', render: (r) => String((r.attributes['member-ids'] as number[] | undefined)?.length ?? 0) },
        {
          label: 'Organizations',
          render: (r) => String((r.attributes['organization-ids'] as number[] | undefined)?.length ?? 0),
        },
        { label: 'Updated', class: 'col-time', render: (r) => formatTime(r.attributes['updated-at']) },
      ]}
      createFields={fields}
      editFields={fields}
    />
  );
}

function NewKeyDialog({ name, secret, onClose }: { name: string; secret: string; onClose: () => void }) {
  return (
    <Modal
      title={`API key “${name}”`}
      onClose={onClose}
      footer={
        <button type="button" class="btn btn-primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <Notice tone="warn">Copy the key now: it is shown only once and cannot be recovered.</Notice>
      <div class="secret-row">
        <textarea
          class="secret mono key-block"
          readOnly
          rows={2}
          aria-label="New API key"
          value={secret}
          onFocus={(e) => (e.target as HTMLTextAreaElement).select()}
        />
        <button
          type="button"
          class="btn btn-small btn-primary"
          onClick={() =>
            navigator.clipboard.writeText(secret).then(
              () => toast('Key copied'),
              (e) => toast(message(e), 'error'),
            )
          }
        >
          Copy
        </button>
      </div>
      <p class="field-help">
        Use it in the <code>x-api-key</code> header of requests to <code>{window.location.origin}/api</code>.
      </p>
    </Modal>
  );
}

export function ApiKeysScreen() {
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  return (
    <>
      <AdminList<Attributes>
        path="/api_keys"
        type="api-keys"
        singular="API key"
        plural="API keys"
        subtitle="Keys for scripts and integrations using the IT Glue-compatible API"
        emptyText="Create a key for each script or integration, so each can be revoked alone."
        deleteLabel="Revoke"
        columns={[
          { label: 'Name', render: (r) => <span class="cell-title">{text(r.attributes.name)}</span> },
          { label: 'Prefix', render: (r) => <Mono value={r.attributes.prefix} /> },
          {
            label: 'Password access',
            render: (r) => (r.attributes['password-access'] ? <Badge tone="amber">Yes</Badge> : 'No'),
          },
          { label: 'Created', class: 'col-time', render: (r) => formatTime(r.attributes['created-at']) },
          { label: 'Last used', class: 'col-time', render: (r) => formatTime(r.attributes['last-used-at']) },
          {
            label: 'State',
            render: (r) =>
              r.attributes['revoked-at'] ? <Badge tone="red">Revoked</Badge> : <Badge tone="green">Active</Badge>,
          },
        ]}
        createFields={[
          { name: 'name', label: 'Name', required: true, wide: true, placeholder: 'PSA sync script' },
          { name: 'password-access', label: 'Password access', kind: 'checkbox', help: 'May read password secrets' },
        ]}
        afterCreate={(r) => {
          const key = (r.attributes as Attributes).key;
          if (typeof key === 'string') setCreated({ name: String((r.attributes as Attributes).name), key });
        }}
      />
      {created && <NewKeyDialog name={created.name} secret={created.key} onClose={() => setCreated(null)} />}
    </>
  );
}
