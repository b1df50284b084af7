// Flexible assets: records of account-defined types (Wi-Fi, Backup, Licence, …) whose
// fields come from the type. The tab picks a type, then lists that type's assets.
import { useState } from 'preact/hooks';
import { api, type Attributes, type Resource } from '../api';
import { useAsync, useList } from '../hooks';
import { navigate } from '../router';
import {
  Confirm,
  Empty,
  ErrorBanner,
  PageHeader,
  SkeletonBlock,
  formatDate,
  formatTime,
  toast,
  RecordActions,
} from '../ui/basics';
import { FormDialog, type FieldSpec } from '../ui/form';
import { DataTable, Pagination, type Column } from '../ui/table';
import { can } from '../session';

interface FieldAttrs {
  name: string;
  'name-key': string;
  kind: string;
  required: boolean;
  'show-in-list': boolean;
  order: number;
  hint: string | null;
  'flexible-asset-type-id': number;
}

interface AssetType {
  id: string;
  name: string;
  description: string | null;
  fields: FieldAttrs[];
}

export async function loadTypes(): Promise<AssetType[]> {
  const res = await api.list<{ name: string; description: string | null }>('/flexible_asset_types', {
    include: 'flexible_asset_fields',
    'page[size]': 1000,
    sort: 'name',
  });
  const fields = (res.included ?? []).filter(
    (r) => r.type === 'flexible-asset-fields',
  ) as unknown as Resource<FieldAttrs>[];
  return res.data.map((t) => ({
    id: t.id,
    name: t.attributes.name,
    description: t.attributes.description,
    fields: fields
      .filter((f) => String(f.attributes['flexible-asset-type-id']) === t.id)
      .map((f) => f.attributes)
      .sort((a, b) => a.order - b.order),
  }));
}

// The form kinds a flexible asset field can be edited with here.
function fieldSpec(f: FieldAttrs): FieldSpec | null {
  const kinds: Record<string, FieldSpec['kind']> = {
    Text: 'text',
    Textbox: 'textarea',
    Number: 'number',
    Date: 'date',
    Checkbox: 'checkbox',
    Select: 'text',
    Password: 'text',
  };
  const kind = kinds[f.kind];
  if (!kind) return null;
  return { name: f['name-key'], label: f.name, kind, required: f.required, help: f.hint ?? undefined };
}

// Traits as a write expects them: a tag's {type, values[]} becomes its ids.
function storedTraits(traits: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(traits)) {
    const values =
      v && typeof v === 'object' && !Array.isArray(v) ? (v as { values?: { id: number }[] }).values : undefined;
    out[k] = Array.isArray(values) ? values.map((x) => x.id) : v;
  }
  return out;
}

export function traitText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (Array.isArray(v)) return v.map(traitText).join(', ');
  if (typeof v === 'object') {
    const values = (v as { values?: { name?: string }[] }).values;
    if (Array.isArray(values)) return values.map((x) => x.name ?? '').join(', ') || '—';
    return JSON.stringify(v);
  }
  return String(v);
}

function NewTypeDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  return (
    <FormDialog
      title="New flexible asset type"
      fields={[
        { name: 'name', label: 'Name', required: true, placeholder: 'Wi-Fi' },
        { name: 'description', label: 'Description', wide: true },
        {
          name: 'field-names',
          label: 'Fields',
          kind: 'textarea',
          placeholder: 'SSID\nVLAN\nSecurity',
          help: 'One text field per line; the first one names each asset.',
          set: (v) => ({
            fields: v
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean)
              .map((name, i) => ({
                order: i + 1,
                name,
                kind: 'Text',
                required: i === 0,
                'use-for-title': i === 0,
                'show-in-list': true,
              })),
          }),
        },
      ]}
      submit={(a) => api.create('/flexible_asset_types', 'flexible-asset-types', a)}
      onClose={onClose}
      onDone={() => {
        toast('Asset type created');
        onDone();
      }}
    />
  );
}

function TypeAssets({ orgId, type }: { orgId: string; type: AssetType }) {
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const size = 50;
  const list = useList<{ name: string | null; traits: Record<string, unknown>; 'updated-at': string }>(
    '/flexible_assets',
    {
      'filter[flexible_asset_type_id]': type.id,
      'filter[organization_id]': orgId,
      'page[number]': page,
      'page[size]': size,
      sort: 'name',
    },
  );
  const listed = type.fields.filter((f) => f['show-in-list']).slice(0, 5);
  const columns: Column<{ name: string | null; traits: Record<string, unknown>; 'updated-at': string }>[] = [
    {
      label: 'Name',
      render: (r) => (
        <a class="cell-title" href={`/${orgId}/assets/records/${r.id}`}>
          {r.attributes.name ?? `#${r.id}`}
        </a>
      ),
    },
    ...listed.slice(1).map((f) => ({
      label: f.name,
      render: (r: Resource<{ traits: Record<string, unknown> }>) => traitText(r.attributes.traits?.[f['name-key']]),
    })),
    { label: 'Updated', class: 'col-time', render: (r) => formatTime(r.attributes['updated-at']) },
  ];
  const specs = type.fields.map(fieldSpec).filter((f): f is FieldSpec => f !== null);
  return (
    <>
      <div class="toolbar">
        <span class="muted">{type.description}</span>
        <span class="toolbar-spacer" />
        {can('create') && (
          <button type="button" class="btn btn-primary" data-shortcut="n" onClick={() => setCreating(true)}>
            New {type.name}
          </button>
        )}
      </div>
      <div class="card">
        <DataTable
          label={type.name}
          columns={columns}
          rows={list.data?.data}
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          rowHref={(r) => `/${orgId}/assets/records/${r.id}`}
          empty={<Empty title={`No ${type.name} records for this organization`}>Add one with “New {type.name}”.</Empty>}
        />
        <Pagination meta={list.data?.meta} size={size} onPage={setPage} />
      </div>
      {creating && (
        <FormDialog
          title={`New ${type.name}`}
          fields={specs}
          submit={(traits) =>
            api.create('/flexible_assets', 'flexible-assets', {
              'organization-id': Number(orgId),
              'flexible-asset-type-id': Number(type.id),
              traits,
            })
          }
          onClose={() => setCreating(false)}
          onDone={() => {
            toast(`${type.name} created`);
            list.reload();
          }}
        />
      )}
    </>
  );
}

export function AssetsTab({ orgId }: { orgId: string }) {
  const types = useAsync(loadTypes, []);
  const [selected, setSelected] = useState<string | null>(null);
  const [newType, setNewType] = useState(false);
  const current = types.data?.find((t) => t.id === selected) ?? types.data?.[0];
  return (
    <section aria-label="Flexible assets">
      <ErrorBanner error={types.error} onRetry={types.reload} />
      {types.loading && !types.data && <SkeletonBlock lines={3} />}
      {types.data && types.data.length === 0 && (
        <Empty
          title="No flexible asset types yet"
          action={
            can('create', 'configuration') && (
              <button type="button" class="btn btn-primary" onClick={() => setNewType(true)}>
                Create an asset type
              </button>
            )
          }
        >
          Asset types describe the structured records you keep per client: Wi-Fi networks, backups, licences.
        </Empty>
      )}
      {types.data && types.data.length > 0 && current && (
        <div class="assets-layout">
          <nav class="subnav" aria-label="Asset types">
            {types.data.map((t) => (
              <button
                key={t.id}
                type="button"
                class={t.id === current.id ? 'subnav-item subnav-active' : 'subnav-item'}
                onClick={() => setSelected(t.id)}
              >
                {t.name}
              </button>
            ))}
            {can('create', 'configuration') && (
              <button type="button" class="subnav-item subnav-add" onClick={() => setNewType(true)}>
                + New type
              </button>
            )}
          </nav>
          <div class="assets-main">
            <TypeAssets key={current.id} orgId={orgId} type={current} />
          </div>
        </div>
      )}
      {newType && <NewTypeDialog onClose={() => setNewType(false)} onDone={types.reload} />}
    </section>
  );
}

export function AssetScreen({ id }: { id: string }) {
  const asset = useAsync(() => api.one<Attributes>(`/flexible_assets/${id}`), [id]);
  const types = useAsync(loadTypes, []);
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState(false);
  const a = asset.data?.attributes;
  const type = types.data?.find((t) => a && t.id === String(a['flexible-asset-type-id']));
  const traits = (a?.traits ?? {}) as Record<string, unknown>;
  const org = a ? String(a['organization-id']) : '';
  return (
    <div class="page">
      <PageHeader
        crumbs={
          a
            ? [
                { label: 'Organizations', href: '/organizations' },
                { label: String(a['organization-name']), href: `/organizations/${org}/assets` },
              ]
            : [{ label: 'Organizations', href: '/organizations' }]
        }
        title={a ? String(a.name ?? `#${id}`) : <span class="skeleton skeleton-title" />}
        subtitle={a && String(a['flexible-asset-type-name'])}
        actions={
          a && (
            <RecordActions
              canEdit={Boolean(type) && can('update')}
              canDelete={can('delete')}
              onEdit={() => setEditing(true)}
              onDelete={() => setDeleting(true)}
            />
          )
        }
      />
      <ErrorBanner error={asset.error ?? types.error} onRetry={asset.reload} />
      {asset.loading && !a && <SkeletonBlock lines={5} />}
      {a && (
        <div class="card card-pad">
          <dl class="details details-grid">
            {(
              type?.fields ?? Object.keys(traits).map((k) => ({ name: k, 'name-key': k, kind: 'Text' }) as FieldAttrs)
            ).map((f) => (
              <>
                <dt key={`t-${f['name-key']}`}>{f.name}</dt>
                <dd key={`d-${f['name-key']}`}>
                  {f.kind === 'Date' ? formatDate(traits[f['name-key']]) : traitText(traits[f['name-key']])}
                </dd>
              </>
            ))}
            <dt>Updated</dt>
            <dd>{formatTime(a['updated-at'])}</dd>
          </dl>
        </div>
      )}
      {editing && a && type && (
        <FormDialog
          title={`Edit ${type.name}`}
          fields={type.fields.map(fieldSpec).filter((f): f is FieldSpec => f !== null)}
          record={traits}
          // PATCH replaces the traits: fields this form cannot edit keep their stored values.
          submit={(changed) =>
            api.update(`/flexible_assets/${id}`, 'flexible-assets', id, {
              traits: { ...storedTraits(traits), ...changed },
            })
          }
          onClose={() => setEditing(false)}
          onDone={() => {
            toast('Asset saved');
            asset.reload();
          }}
        />
      )}
      {deleting && a && (
        <Confirm
          title="Delete asset"
          text={`Delete “${String(a.name ?? '#' + id)}”? This cannot be undone.`}
          action="Delete"
          onConfirm={async () => {
            await api.remove(`/flexible_assets/${id}`);
            toast('Asset deleted');
            navigate(`/organizations/${org}/assets`);
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </div>
  );
}
