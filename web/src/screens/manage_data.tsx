// Manage Data (SPEC SYNC-6, SYNC-7) for one integration: synced items by type with counts
// per state, orphaned data with Delete all, disconnected data with Reconnect, and the list
// of one type's records with their states.
import { useState } from 'preact/hooks';
import { api, message, type Resource } from '../api';
import { useAsync, useList } from '../hooks';
import { recordHref } from '../links';
import { setQuery, useLocation } from '../router';
import { DATA_TYPES, syncApi, type DataType, type IntegrationAttrs, type ItemAttrs, type LinkAttrs } from '../sync';
import { Confirm, Empty, ErrorBanner, Modal, PageHeader, SkeletonBlock, number, text, toast } from '../ui/basics';
import { LinkStateBadge, linkStateLabel } from '../ui/sync_state';
import { DataTable, Pagination, type Column } from '../ui/table';
import { AdminOnly } from './integrations';

function typeInfo(t: string) {
  return DATA_TYPES.find((d) => d.type === t) ?? { type: t as DataType, singular: t, plural: t };
}

function href(r: Resource<LinkAttrs>): string | null {
  const a = r.attributes;
  return recordHref(a['data-type'], a['record-id'], a['organization-id']);
}

function DisconnectDialog({
  item,
  onClose,
  onDone,
}: {
  item: Resource<ItemAttrs>;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = typeInfo(item.attributes['data-type']);
  const psa = item.attributes['integration-name'];
  const [mode, setMode] = useState<'pause' | 'permanent'>('pause');
  const [typeId, setTypeId] = useState('');
  const [statusId, setStatusId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      title={`Disconnect ${t.plural.toLowerCase()}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            class="btn btn-danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await syncApi.itemAction(item.id, 'disconnect', {
                  mode,
                  psa_type_id: typeId.trim() || null,
                  psa_status_id: statusId.trim() || null,
                });
                toast(mode === 'pause' ? `${t.plural} paused` : `${t.plural} disconnected`);
                onDone();
                onClose();
              } catch (e) {
                setError(e);
                setBusy(false);
              }
            }}
          >
            {busy ? 'Working…' : 'Disconnect'}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      <fieldset class="plain-fieldset">
        <legend class="sr-only">How to disconnect</legend>
        <label class="radio-option">
          <input type="radio" name="mode" checked={mode === 'pause'} onChange={() => setMode('pause')} />
          <span>
            <strong>Pause syncing and keep all data</strong>
            Sync stops for these {t.plural.toLowerCase()}; the links to {psa} stay, and the records are listed under
            Disconnected data, where they can be reconnected.
          </span>
        </label>
        <label class="radio-option">
          <input type="radio" name="mode" checked={mode === 'permanent'} onChange={() => setMode('permanent')} />
          <span>
            <strong>Permanently disconnect records from {psa} but keep all data</strong>
            Sync stops and the links are removed; every Mortar record stays as an unsynced record.
          </span>
        </label>
      </fieldset>
      <div class="form-grid">
        <div class="field">
          <label for="f-disc-type">Only PSA type id</label>
          <input
            id="f-disc-type"
            value={typeId}
            placeholder="Every type"
            onInput={(e) => setTypeId((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="f-disc-status">Only PSA status id</label>
          <input
            id="f-disc-status"
            value={statusId}
            placeholder="Every status"
            onInput={(e) => setStatusId((e.target as HTMLInputElement).value)}
          />
        </div>
      </div>
    </Modal>
  );
}

// The records of one type (and optionally one state) with their states and actions.
function RecordList({
  integrationId,
  dataType,
  state,
  onChanged,
}: {
  integrationId: string;
  dataType: DataType;
  state?: string;
  onChanged: () => void;
}) {
  const [page, setPage] = useState(1);
  const [deleting, setDeleting] = useState<Resource<LinkAttrs> | null>(null);
  const size = 50;
  const list = useList<LinkAttrs>('/manage_data_records', {
    'filter[integration_id]': integrationId,
    'filter[data_type]': dataType,
    'filter[state]': state,
    'page[number]': page,
    'page[size]': size,
  });
  const act = async (r: Resource<LinkAttrs>, action: 'disable' | 'enable' | 'reconnect', done: string) => {
    try {
      await syncApi.linkAction(r.id, action);
      toast(done);
      list.reload();
      onChanged();
    } catch (e) {
      toast(message(e), 'error');
    }
  };
  const t = typeInfo(dataType);
  const columns: Column<LinkAttrs>[] = [
    {
      label: 'Name',
      render: (r) => {
        const h = href(r);
        const name = text(r.attributes.name);
        return h ? (
          <a class="cell-title" href={h}>
            {name}
          </a>
        ) : (
          <span class="cell-title">{name}</span>
        );
      },
    },
    { label: 'State', render: (r) => <LinkStateBadge state={r.attributes.state} /> },
    { label: 'PSA id', render: (r) => <span class="mono">{r.attributes['psa-id']}</span> },
    {
      label: 'Detail',
      render: (r) =>
        r.attributes['error-detail'] ? <span class="sync-detail">{r.attributes['error-detail']}</span> : '—',
    },
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => {
        const h = href(r);
        const s = r.attributes.state;
        return (
          <div class="row-actions">
            {h && (
              <a class="btn btn-small btn-ghost" href={h}>
                View
              </a>
            )}
            {h && (
              <a class="btn btn-small btn-ghost" href={h + (h.includes('?') ? '&' : '?') + 'edit=1'}>
                Edit
              </a>
            )}
            {s === 'disconnected' && (
              <button type="button" class="btn btn-small" onClick={() => act(r, 'reconnect', 'Reconnected')}>
                Reconnect
              </button>
            )}
            {(s === 'syncing' || s === 'error' || s === 'orphaned') && (
              <button type="button" class="btn btn-small btn-ghost" onClick={() => act(r, 'disable', 'Sync disabled')}>
                Disable sync
              </button>
            )}
            {s === 'disabled' && (
              <button type="button" class="btn btn-small btn-ghost" onClick={() => act(r, 'enable', 'Sync enabled')}>
                Enable sync
              </button>
            )}
            {s !== 'syncing' && (
              <button
                type="button"
                class="btn btn-small btn-ghost btn-danger-text"
                onClick={() => setDeleting(r)}
                aria-label={`Delete ${r.attributes.name ?? ''}`}
              >
                Delete
              </button>
            )}
          </div>
        );
      },
    },
  ];
  return (
    <section class="section" aria-label={`${t.plural} list`}>
      <div class="section-head">
        <h2>
          {t.plural}
          {state ? ` — ${linkStateLabel(state).toLowerCase()}` : ''}
        </h2>
        <button
          type="button"
          class="btn btn-small btn-ghost"
          onClick={() => setQuery({ view: undefined, state: undefined })}
        >
          Close list
        </button>
      </div>
      <div class="card">
        <DataTable
          label={`${t.plural} records`}
          columns={columns}
          rows={list.data?.data}
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          empty={<Empty title={`No ${t.plural.toLowerCase()} here`} />}
        />
        <Pagination meta={list.data?.meta} size={size} onPage={setPage} />
      </div>
      {deleting && (
        <Confirm
          title={`Delete ${t.singular}`}
          text={`Delete “${text(deleting.attributes.name)}” from Mortar? This cannot be undone.`}
          action="Delete"
          onConfirm={async () => {
            await api.remove(`/${dataType}/${deleting.attributes['record-id']}`);
            toast(`${t.singular.charAt(0).toUpperCase() + t.singular.slice(1)} deleted`);
            list.reload();
            onChanged();
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}

export function ManageDataScreen({ id }: { id: string }) {
  const loc = useLocation();
  const view = loc.query.get('view') as DataType | null;
  const viewState = loc.query.get('state') ?? undefined;
  const integration = useAsync(() => api.one<IntegrationAttrs>(`/integrations/${id}`), [id]);
  const items = useList<ItemAttrs>('/manage_data_items', { 'filter[integration_id]': id });
  const [disconnecting, setDisconnecting] = useState<Resource<ItemAttrs> | null>(null);
  const [deletingAll, setDeletingAll] = useState<Resource<ItemAttrs> | null>(null);
  const [reconnecting, setReconnecting] = useState<Resource<ItemAttrs> | null>(null);
  const order = (t: string) => DATA_TYPES.findIndex((d) => d.type === t);
  const rows = items.data?.data
    .slice()
    .sort((a, b) => order(a.attributes['data-type']) - order(b.attributes['data-type']));
  const c = (k: keyof ItemAttrs) => (r: Resource<ItemAttrs>) => number.format(Number(r.attributes[k] ?? 0));
  const label = (r: Resource<ItemAttrs>) => (
    <span class="cell-title">{typeInfo(r.attributes['data-type']).plural}</span>
  );
  const viewBtn = (r: Resource<ItemAttrs>, state?: string) => (
    <button
      type="button"
      class="btn btn-small btn-ghost"
      aria-label={`View ${typeInfo(r.attributes['data-type']).plural.toLowerCase()}${state ? ' ' + state : ''}`}
      onClick={() => setQuery({ view: r.attributes['data-type'], state })}
    >
      View
    </button>
  );
  const name = integration.data?.attributes.name;

  return (
    <div class="page">
      <PageHeader
        crumbs={[
          { label: 'Account', href: '/account' },
          { label: 'Integrations', href: '/account/integrations' },
        ]}
        title="Manage Data"
        subtitle={name ? `Records synced from ${name}` : undefined}
      />
      <AdminOnly>
        <ErrorBanner error={integration.error ?? items.error} onRetry={items.reload} />
        {items.loading && !rows && <SkeletonBlock lines={6} />}
        {rows && (
          <>
            <section class="section" aria-label="Synced items">
              <div class="section-head">
                <h2>Synced items</h2>
              </div>
              <div class="card">
                <DataTable<ItemAttrs>
                  label="Synced items"
                  columns={[
                    { label: 'Type', render: label },
                    { label: 'Syncing', class: 'num', render: c('syncing-count') },
                    { label: 'Orphaned', class: 'num', render: c('orphaned-count') },
                    { label: 'Sync disabled', class: 'num', render: c('disabled-count') },
                    { label: 'Sync error', class: 'num', render: c('error-count') },
                    { label: 'Disconnected', class: 'num', render: c('disconnected-count') },
                    { label: 'Total', class: 'num', render: c('total-count') },
                    {
                      label: 'Actions',
                      class: 'col-actions',
                      render: (r) => (
                        <div class="row-actions">
                          {viewBtn(r)}
                          <button
                            type="button"
                            class="btn btn-small btn-ghost btn-danger-text"
                            aria-label={`Disconnect ${typeInfo(r.attributes['data-type']).plural.toLowerCase()}`}
                            onClick={() => setDisconnecting(r)}
                          >
                            Disconnect
                          </button>
                        </div>
                      ),
                    },
                  ]}
                  rows={rows}
                  loading={false}
                  empty={<Empty title="Nothing synced yet" />}
                />
              </div>
            </section>

            <section class="section" aria-label="Orphaned data">
              <div class="section-head">
                <h2>Orphaned data</h2>
              </div>
              <p class="page-sub">
                Deleted in the PSA, or no longer meeting the sync settings. The Mortar records stay.
              </p>
              <div class="card">
                <DataTable<ItemAttrs>
                  label="Orphaned data"
                  columns={[
                    { label: 'Type', render: label },
                    { label: 'Orphaned', class: 'num', render: c('orphaned-count') },
                    {
                      label: 'Actions',
                      class: 'col-actions',
                      render: (r) => (
                        <div class="row-actions">
                          {viewBtn(r, 'orphaned')}
                          <button
                            type="button"
                            class="btn btn-small btn-ghost btn-danger-text"
                            disabled={r.attributes['orphaned-count'] === 0}
                            aria-label={`Delete all orphaned ${typeInfo(r.attributes['data-type']).plural.toLowerCase()}`}
                            onClick={() => setDeletingAll(r)}
                          >
                            Delete all
                          </button>
                        </div>
                      ),
                    },
                  ]}
                  rows={rows}
                  loading={false}
                  empty={<Empty title="No orphaned data" />}
                />
              </div>
            </section>

            <section class="section" aria-label="Disconnected data">
              <div class="section-head">
                <h2>Disconnected data</h2>
              </div>
              <p class="page-sub">Paused types keep their links; reconnect them to sync again.</p>
              <div class="card">
                <DataTable<ItemAttrs>
                  label="Disconnected data"
                  columns={[
                    { label: 'Type', render: label },
                    { label: 'Disconnected', class: 'num', render: c('disconnected-count') },
                    {
                      label: 'Rules',
                      render: (r) =>
                        r.attributes['disconnected-rules'].length === 0
                          ? '—'
                          : r.attributes['disconnected-rules']
                              .map(
                                (d) =>
                                  (d.mode === 'pause' ? 'Paused' : 'Permanently disconnected') +
                                  (d['psa-type-id'] ? ` (type ${d['psa-type-id']})` : '') +
                                  (d['psa-status-id'] ? ` (status ${d['psa-status-id']})` : ''),
                              )
                              .join('; '),
                    },
                    {
                      label: 'Reset sync status',
                      class: 'col-actions',
                      render: (r) => (
                        <div class="row-actions">
                          {viewBtn(r, 'disconnected')}
                          <button
                            type="button"
                            class="btn btn-small"
                            disabled={
                              r.attributes['disconnected-count'] === 0 &&
                              r.attributes['disconnected-rules'].length === 0
                            }
                            aria-label={`Reconnect ${typeInfo(r.attributes['data-type']).plural.toLowerCase()}`}
                            onClick={() => setReconnecting(r)}
                          >
                            Reconnect
                          </button>
                        </div>
                      ),
                    },
                  ]}
                  rows={rows}
                  loading={false}
                  empty={<Empty title="No disconnected data" />}
                />
              </div>
            </section>
          </>
        )}
        {view && (
          <RecordList
            key={view + (viewState ?? '')}
            integrationId={id}
            dataType={view}
            state={viewState}
            onChanged={items.reload}
          />
        )}
      </AdminOnly>
      {disconnecting && (
        <DisconnectDialog item={disconnecting} onClose={() => setDisconnecting(null)} onDone={items.reload} />
      )}
      {deletingAll &&
        (() => {
          const t = typeInfo(deletingAll.attributes['data-type']);
          const count = deletingAll.attributes['orphaned-count'];
          return (
            <Confirm
              title={`Delete all orphaned ${t.plural.toLowerCase()}`}
              text={`Delete ${number.format(count)} orphaned ${count === 1 ? t.singular : t.plural.toLowerCase()} and their documentation from Mortar? This cannot be undone.`}
              action={`Delete ${number.format(count)} ${count === 1 ? t.singular : t.plural.toLowerCase()}`}
              onConfirm={async () => {
                await syncApi.itemAction(deletingAll.id, 'delete_orphaned', { count });
                toast(`${number.format(count)} orphaned ${t.plural.toLowerCase()} deleted`);
                items.reload();
              }}
              onClose={() => setDeletingAll(null)}
            />
          );
        })()}
      {reconnecting &&
        (() => {
          const t = typeInfo(reconnecting.attributes['data-type']);
          return (
            <Confirm
              title={`Reconnect ${t.plural.toLowerCase()}`}
              text={`Reconnect ${number.format(reconnecting.attributes['disconnected-count'])} disconnected ${t.plural.toLowerCase()}? The next run applies the PSA's data to them again.`}
              action="Reconnect"
              onConfirm={async () => {
                await syncApi.itemAction(reconnecting.id, 'reconnect', {});
                toast(`${t.plural} reconnected`);
                items.reload();
              }}
              onClose={() => setReconnecting(null)}
            />
          );
        })()}
    </div>
  );
}
