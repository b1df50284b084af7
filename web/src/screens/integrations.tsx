// Account > Integrations (administrators): the PSA integrations with their status and
// actions, the setup dialog (new / edit) and the run history of one integration.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, lookup, message, type Attributes, type Resource } from '../api';
import { useAsync, useList } from '../hooks';
import { isAdmin } from '../session';
import {
  KINDS,
  VENDOR_FIELDS,
  isBackupPortal,
  kindName,
  orphansToConfirm,
  syncApi,
  type IntegrationAttrs,
  type Kind,
  type RunAttrs,
  type RunErrorAttrs,
  type Settings,
  type TypeSettings,
} from '../sync';
import {
  Badge,
  Confirm,
  Empty,
  ErrorBanner,
  Modal,
  Notice,
  PageHeader,
  formatTime,
  number,
  text,
  toast,
} from '../ui/basics';
import { IntegrationStatus, RunOutcome } from '../ui/sync_state';
import { DataTable, Pagination, type Column } from '../ui/table';

export function AdminOnly({ children }: { children: preact.ComponentChildren }) {
  if (!isAdmin()) return <Notice tone="warn">Only administrators can manage integrations.</Notice>;
  return <>{children}</>;
}

// When the scheduler will next queue a run: a schedule interval after the last run
// (SPEC SYNC-1), never while paused or with invalid credentials.
function nextRun(a: IntegrationAttrs): string {
  if (a.status === 'paused' || a.status === 'credentials_invalid') return 'Stopped';
  if (a.status === 'syncing') return 'After this run';
  const last = [a['last-sync-at'], a['last-full-at']]
    .filter((x): x is string => !!x)
    .map((x) => new Date(x).getTime())
    .reduce((m, x) => Math.max(m, x), 0);
  if (!last) return 'Within minutes';
  const minutes = a.settings?.schedule_minutes ?? 60;
  return formatTime(new Date(last + minutes * 60000).toISOString());
}

function lastRun(a: IntegrationAttrs): string {
  const times = [a['last-sync-at'], a['last-full-at']].filter((x): x is string => !!x).sort();
  return times.length ? formatTime(times[times.length - 1]) : 'Never';
}

// A backup portal's customers and assets waiting for a match, linking to Matching.
function UnmatchedCounts({ integration }: { integration: Resource<IntegrationAttrs> }) {
  const a = integration.attributes;
  if (!isBackupPortal(a.kind)) return <span class="muted">—</span>;
  const customers = Number(a['unmatched-customer-count'] ?? 0);
  const assets = Number(a['unmatched-asset-count'] ?? 0);
  if (customers === 0 && assets === 0) return <span class="muted">All matched</span>;
  return (
    <a href={`/account/integrations/${integration.id}/matching`} class="unmatched-counts">
      {number.format(customers)} {customers === 1 ? 'customer' : 'customers'} · {number.format(assets)}{' '}
      {assets === 1 ? 'asset' : 'assets'}
    </a>
  );
}

export function IntegrationsScreen() {
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Resource<IntegrationAttrs> | null>(null);
  const [deleting, setDeleting] = useState<Resource<IntegrationAttrs> | null>(null);
  const [starting, setStarting] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Resource<IntegrationAttrs> | null>(null);
  const [started, setStarted] = useState<Record<string, { lastRunId: number | null; until: number }>>({});
  const markStarted = (r: Resource<IntegrationAttrs>) =>
    setStarted((m) => ({ ...m, [r.id]: { lastRunId: r.attributes['last-run-id'], until: Date.now() + 120000 } }));
  const size = 50;
  const list = useList<IntegrationAttrs>(isAdmin() ? '/integrations' : null, {
    'page[number]': page,
    'page[size]': size,
    sort: 'name',
  });
  const rows = list.data?.data;
  const running = rows?.some((r) => r.attributes.status === 'syncing') ?? false;
  // A started sync is waited for until its run has begun and ended (a new last-run-id and
  // a status other than syncing), for at most two minutes.
  const waiting = Object.entries(started).some(([id, s]) => {
    const r = rows?.find((x) => x.id === id);
    return r !== undefined && Date.now() < s.until && r.attributes['last-run-id'] === s.lastRunId;
  });
  // Poll while a run is going, or a started one has not run yet.
  useEffect(() => {
    if (!running && !waiting) return;
    const t = setTimeout(list.reload, 1500);
    return () => clearTimeout(t);
  }, [list.data, running, waiting]);

  const start = async (r: Resource<IntegrationAttrs>) => {
    setStarting(r.id);
    try {
      await syncApi.startSync(r.id);
      toast(`Sync of ${r.attributes.name} started`);
      markStarted(r);
      list.reload();
    } catch (e) {
      toast(message(e), 'error');
    } finally {
      setStarting(null);
    }
  };

  const columns: Column<IntegrationAttrs>[] = [
    { label: 'Name', render: (r) => <span class="cell-title">{r.attributes.name}</span> },
    { label: 'Kind', render: (r) => kindName(r.attributes.kind) },
    {
      label: 'Status',
      render: (r) => <IntegrationStatus status={r.attributes.status} detail={r.attributes['status-detail']} />,
    },
    {
      label: 'Unmatched',
      render: (r) => <UnmatchedCounts integration={r} />,
    },
    {
      label: 'Last run / next run',
      class: 'col-time',
      render: (r) => (
        <span class="run-times">
          <span>Last: {lastRun(r.attributes)}</span>
          <span class="muted">Next: {nextRun(r.attributes)}</span>
        </span>
      ),
    },
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => (
        <div class="row-actions row-actions-wrap">
          <button
            type="button"
            class="btn btn-small"
            disabled={starting === r.id || r.attributes.status === 'syncing'}
            onClick={() => start(r)}
          >
            Start manual sync
          </button>
          {r.attributes.status === 'error' && orphansToConfirm(r.attributes['status-detail']) && (
            <button type="button" class="btn btn-small btn-danger-text" onClick={() => setConfirming(r)}>
              Confirm orphans
            </button>
          )}
          <button type="button" class="btn btn-small btn-ghost" onClick={() => setEditing(r)}>
            Edit
          </button>
          {isBackupPortal(r.attributes.kind) ? (
            <a class="btn btn-small btn-ghost" href={`/account/integrations/${r.id}/matching`}>
              Matching
            </a>
          ) : (
            <a class="btn btn-small btn-ghost" href={`/account/integrations/${r.id}/manage-data`}>
              Manage Data
            </a>
          )}
          <a class="btn btn-small btn-ghost" href={`/account/integrations/${r.id}/runs`}>
            Runs
          </a>
          {r.attributes.status === 'paused' ? (
            <button
              type="button"
              class="btn btn-small btn-ghost"
              onClick={() => syncApi.resume(r.id).then(list.reload, (e) => toast(message(e), 'error'))}
            >
              Resume
            </button>
          ) : (
            <button
              type="button"
              class="btn btn-small btn-ghost"
              onClick={() => syncApi.pause(r.id).then(list.reload, (e) => toast(message(e), 'error'))}
            >
              Pause
            </button>
          )}
          <button type="button" class="btn btn-small btn-ghost btn-danger-text" onClick={() => setDeleting(r)}>
            Delete
          </button>
        </div>
      ),
    },
  ];

  return (
    <div class="page">
      <PageHeader
        crumbs={[{ label: 'Account', href: '/account' }]}
        title="Integrations"
        subtitle="PSA connections that keep organizations, configurations and contacts in step, and backup portals that show backups on configurations"
        actions={
          isAdmin() && (
            <button type="button" class="btn btn-primary" data-shortcut="n" onClick={() => setCreating(true)}>
              New integration
            </button>
          )
        }
      />
      <AdminOnly>
        <div class="card">
          <DataTable
            label="Integrations"
            columns={columns}
            rows={rows}
            loading={list.loading && !list.data}
            error={list.error}
            onRetry={list.reload}
            empty={
              <Empty
                title="No integrations yet"
                action={
                  <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
                    Connect a PSA or backup portal
                  </button>
                }
              >
                Connect Autotask, ConnectWise Manage or HaloPSA to sync your clients and their devices, or Unitrends
                (UniView) to see their backups.
              </Empty>
            }
          />
          <Pagination meta={list.data?.meta} size={size} onPage={setPage} />
        </div>
      </AdminOnly>
      {(creating || editing) && (
        <IntegrationDialog
          record={editing ?? undefined}
          onClose={() => {
            setCreating(false);
            setEditing(null);
          }}
          onDone={() => {
            toast(editing ? 'Integration saved' : 'Integration created');
            list.reload();
          }}
        />
      )}
      {confirming &&
        (() => {
          const counts = orphansToConfirm(confirming.attributes['status-detail']) ?? {};
          const what = Object.entries(counts)
            .map(([t, n]) => `${number.format(n)} ${t}`)
            .join(' and ');
          return (
            <Confirm
              title="Confirm orphans"
              text={`The last run stopped before orphaning ${what}: more than ${confirming.attributes.settings?.orphan_share_percent ?? 50} % of what is synced. Orphan ${what} in a new full sync? The Mortar records stay, listed under Orphaned data.`}
              action={`Orphan ${what}`}
              onConfirm={async () => {
                await syncApi.startSync(confirming.id, counts);
                toast(`Sync of ${confirming.attributes.name} started`);
                markStarted(confirming);
                list.reload();
              }}
              onClose={() => setConfirming(null)}
            />
          );
        })()}
      {deleting && (
        <Confirm
          title="Delete integration"
          text={`Delete “${deleting.attributes.name}”? Its links go; every Mortar record stays as an unsynced record.`}
          action="Delete"
          onConfirm={async () => {
            await api.remove(`/integrations/${deleting.id}`);
            toast('Integration deleted');
            list.reload();
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------
// Setup dialog

type Values = Record<string, string | boolean>;

const SYNC_TYPES: { type: 'organizations' | 'configurations' | 'contacts'; label: string; what: string }[] = [
  { type: 'organizations', label: 'Organizations', what: 'companies' },
  { type: 'configurations', label: 'Configurations', what: 'configuration items' },
  { type: 'contacts', label: 'Contacts', what: 'contacts' },
];

function ids(list: string[] | undefined): string {
  return (list ?? []).join(', ');
}

function parseIds(s: string): string[] {
  return s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

function initial(record?: Resource<IntegrationAttrs>): Values {
  const a = record?.attributes;
  const v: Values = { name: a?.name ?? '', kind: a?.kind ?? 'autotask' };
  for (const [k, x] of Object.entries(a?.connection ?? {})) v[`connection/${k}`] = String(x);
  const s = a?.settings ?? {};
  for (const t of SYNC_TYPES) {
    const ts: TypeSettings = (s as Record<string, TypeSettings>)[t.type] ?? {};
    v[`settings/${t.type}/enabled`] = ts.enabled !== false;
    v[`settings/${t.type}/include_inactive`] = ts.include_inactive === true;
    v[`settings/${t.type}/psa_type_ids`] = ids(ts.psa_type_ids);
    v[`settings/${t.type}/psa_status_ids`] = ids(ts.psa_status_ids);
  }
  v['settings/schedule_minutes'] = String(s.schedule_minutes ?? 60);
  v['settings/full_sync_minutes'] = String(s.full_sync_minutes ?? 1440);
  v['settings/orphan_share_percent'] = String(s.orphan_share_percent ?? 50);
  return v;
}

// The key of the field a 422's pointer names ("/data/attributes/settings/schedule_minutes"
// → "settings/schedule_minutes"; a pointer inside a field names the field).
function errorKey(e: unknown, keys: string[]): string | undefined {
  if (!(e instanceof ApiError) || !e.pointer) return undefined;
  const m = e.pointer.match(/^\/data\/attributes\/(.+)$/);
  if (!m) return undefined;
  const path = m[1].replace(/-/g, '_');
  let best: string | undefined;
  for (const k of keys) {
    if ((path === k || path.startsWith(k + '/')) && (!best || k.length > best.length)) best = k;
  }
  if (!best && path.startsWith('settings/configuration_type_map')) return 'settings/configuration_type_map';
  return best;
}

interface PsaLookupAttrs {
  kind: 'company_type' | 'configuration_type' | 'configuration_status';
  'psa-id': string;
  name: string;
  active: boolean;
}
type PsaLists = Partial<Record<PsaLookupAttrs['kind'], PsaLookupAttrs[]>>;

function groupLookups(list: PsaLookupAttrs[]): PsaLists {
  const out: PsaLists = {};
  for (const l of list) (out[l.kind] ??= []).push(l);
  return out;
}

// Which PSA list names the ids of each type filter.
const TYPE_LIST: Record<string, PsaLookupAttrs['kind'] | undefined> = {
  organizations: 'company_type',
  configurations: 'configuration_type',
};
const STATUS_LIST: Record<string, PsaLookupAttrs['kind'] | undefined> = { configurations: 'configuration_status' };

// "Server, Workstation" for the ids typed, from the PSA's list (undefined when unknown).
function named(lists: PsaLists | null, kind: PsaLookupAttrs['kind'] | undefined, typed: unknown): string | undefined {
  const list = kind ? lists?.[kind] : undefined;
  if (!list) return undefined;
  const wanted = parseIds(String(typed ?? ''));
  if (wanted.length === 0) return `Any of ${list.length} in the PSA`;
  return wanted.map((id) => list.find((l) => l['psa-id'] === id)?.name ?? `unknown id ${id}`).join(', ');
}

function PsaListsNote({ lists, error, editing }: { lists: PsaLists | null; error: string | null; editing: boolean }) {
  if (!editing) return <p class="field-help">Save the integration to pick from the PSA’s own types and statuses.</p>;
  if (error) return <p class="field-help">Could not read the PSA’s lists: {error}</p>;
  if (!lists) return <p class="field-help">Reading the PSA’s types and statuses…</p>;
  const all = ([] as PsaLookupAttrs[]).concat(...Object.values(lists).map((l) => l ?? []));
  return (
    <details class="psa-lists">
      <summary>The PSA’s types and statuses ({all.length})</summary>
      <table class="table" aria-label="PSA types and statuses">
        <thead>
          <tr>
            <th>List</th>
            <th>Id</th>
            <th>Name</th>
          </tr>
        </thead>
        <tbody>
          {all.map((l) => (
            <tr key={l.kind + l['psa-id']}>
              <td>{LIST_LABEL[l.kind]}</td>
              <td class="mono">{l['psa-id']}</td>
              <td>
                {l.name}
                {l.active ? '' : ' (inactive)'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

const LIST_LABEL: Record<PsaLookupAttrs['kind'], string> = {
  company_type: 'Company type',
  configuration_type: 'Configuration type',
  configuration_status: 'Configuration status',
};

export function IntegrationDialog({
  record,
  onClose,
  onDone,
}: {
  record?: Resource<IntegrationAttrs>;
  onClose: () => void;
  onDone: () => void;
}) {
  const editing = record !== undefined;
  const [values, setValues] = useState<Values>(() => initial(record));
  const [mapping, setMapping] = useState<{ psa: string; mortar: string }[]>(() =>
    Object.entries(record?.attributes.settings?.configuration_type_map ?? {}).map(([psa, m]) => ({
      psa,
      mortar: String(m),
    })),
  );
  const [types, setTypes] = useState<{ value: string; label: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    lookup('/configuration_types').then(setTypes, () => setTypes([]));
  }, []);
  const kind = values.kind as Kind;
  const portal = isBackupPortal(kind);
  // The PSA's own type and status lists, once the integration exists (read from the PSA).
  const [psaLists, setPsaLists] = useState<PsaLists | null>(null);
  const [psaListsError, setPsaListsError] = useState<string | null>(null);
  useEffect(() => {
    if (!editing || portal) return;
    api
      .list<PsaLookupAttrs>(`/integrations/${record!.id}/psa_lookups`)
      .then((r) => setPsaLists(groupLookups(r.data.map((d) => d.attributes))))
      .catch((e) => setPsaListsError(message(e)));
  }, [editing, portal, record?.id]);
  const vendor = VENDOR_FIELDS[kind] ?? [];
  const keyOf = (f: { key: string; secret?: boolean }) => `${f.secret ? 'credentials' : 'connection'}/${f.key}`;
  const allKeys = [
    'name',
    'kind',
    'connection',
    'credentials',
    'settings',
    ...vendor.map(keyOf),
    ...Object.keys(values).filter((k) => k.startsWith('settings/')),
    'settings/configuration_type_map',
  ];
  const invalidKey = errorKey(error, allKeys);
  const set = (k: string, v: string | boolean) => setValues((old) => ({ ...old, [k]: v }));

  const field = (
    key: string,
    label: string,
    opts: { type?: string; placeholder?: string; help?: string; required?: boolean; wide?: boolean } = {},
  ) => {
    const id = 'f-' + key.replace(/\W+/g, '-');
    const invalid = invalidKey === key;
    return (
      <div key={key} class={opts.wide ? 'field field-wide' : 'field'}>
        <span class="label-row">
          <label for={id}>{label}</label>
          {opts.required && (
            <span class="req" title="Required" aria-hidden="true">
              *
            </span>
          )}
        </span>
        <input
          id={id}
          type={opts.type ?? 'text'}
          value={String(values[key] ?? '')}
          required={opts.required}
          aria-invalid={invalid}
          placeholder={opts.placeholder}
          autocomplete={opts.type === 'password' ? 'new-password' : 'off'}
          onInput={(e) => set(key, (e.target as HTMLInputElement).value)}
        />
        {invalid && <span class="field-error">{(error as ApiError).detail}</span>}
        {opts.help && !invalid && <span class="field-help">{opts.help}</span>}
      </div>
    );
  };
  const check = (key: string, label: string) => (
    <div key={key} class="field">
      <label class="check">
        <input
          type="checkbox"
          checked={values[key] === true}
          onChange={(e) => set(key, (e.target as HTMLInputElement).checked)}
        />
        {label}
      </label>
      {invalidKey === key && <span class="field-error">{(error as ApiError).detail}</span>}
    </div>
  );

  const submit = async () => {
    const connection: Record<string, string> = {};
    const credentials: Record<string, string> = {};
    for (const f of vendor) {
      const v = String(values[keyOf(f)] ?? '').trim();
      if (f.secret) {
        if (v) credentials[f.key] = v;
      } else if (v) connection[f.key] = v;
    }
    const secrets = vendor.filter((f) => f.secret);
    const entered = Object.keys(credentials).length;
    if ((!editing || entered > 0) && entered < secrets.length) {
      const missing = secrets.find((f) => !credentials[f.key])!;
      throw new ApiError(
        422,
        editing ? 'enter every credential to replace them, or leave all blank to keep them' : "can't be blank",
        `/data/attributes/credentials/${missing.key}`,
      );
    }
    const old = record?.attributes.settings ?? {};
    const attributes: Attributes = { name: String(values.name).trim(), connection };
    if (!editing) attributes.kind = kind;
    if (entered > 0) attributes.credentials = credentials;
    // A backup portal has a schedule only: no types to choose, nothing to orphan.
    attributes.settings = portal
      ? { ...old, schedule_minutes: Number(values['settings/schedule_minutes']) }
      : psaSettings(old);
    if (editing) await api.update(`/integrations/${record!.id}`, 'integrations', record!.id, attributes);
    else await api.create('/integrations', 'integrations', attributes);
  };

  const psaSettings = (old: Settings) => {
    const settings: Settings & Record<string, unknown> = {
      ...old,
      schedule_minutes: Number(values['settings/schedule_minutes']),
      full_sync_minutes: Number(values['settings/full_sync_minutes']),
      orphan_share_percent: Number(values['settings/orphan_share_percent']),
      configuration_type_map: Object.fromEntries(
        mapping.filter((m) => m.psa.trim() && m.mortar).map((m) => [m.psa.trim(), Number(m.mortar)]),
      ),
    };
    for (const t of SYNC_TYPES) {
      settings[t.type] = {
        ...((old as Record<string, TypeSettings>)[t.type] ?? {}),
        enabled: values[`settings/${t.type}/enabled`] === true,
        include_inactive: values[`settings/${t.type}/include_inactive`] === true,
        psa_type_ids: parseIds(String(values[`settings/${t.type}/psa_type_ids`])),
        psa_status_ids: parseIds(String(values[`settings/${t.type}/psa_status_ids`])),
      };
    }
    return settings;
  };

  return (
    <Modal
      title={editing ? `Edit integration “${record!.attributes.name}”` : 'New integration'}
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="form-integration" class="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save changes' : 'Create'}
          </button>
        </>
      }
    >
      <form
        id="form-integration"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            await submit();
            onDone();
            onClose();
          } catch (err) {
            setError(err);
            setBusy(false);
          }
        }}
      >
        {!invalidKey && <ErrorBanner error={error} />}
        {invalidKey && <ErrorBanner error={new Error('Check the field marked below.')} />}
        <div class="form-grid">
          {field('name', 'Name', { required: true, placeholder: 'Autotask production' })}
          <div class="field">
            <span class="label-row">
              <label for="f-kind">Connect to</label>
            </span>
            <select
              id="f-kind"
              value={kind}
              disabled={editing}
              onChange={(e) => set('kind', (e.target as HTMLSelectElement).value)}
            >
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
            {editing && <span class="field-help">What an integration connects to cannot change.</span>}
          </div>
        </div>

        <section class="form-section" aria-label="Connection">
          <h3>Connection</h3>
          {editing && record!.attributes['credentials-set'] && (
            <p class="field-help">Credentials are stored encrypted and never shown. Leave them blank to keep them.</p>
          )}
          <div class="form-grid">
            {vendor.map((f) =>
              field(keyOf(f), f.label, {
                type: f.secret ? 'password' : 'text',
                placeholder: f.secret && editing ? 'Leave blank to keep' : f.placeholder,
                required: f.secret ? !editing : false,
              }),
            )}
          </div>
        </section>

        {!portal && (
          <>
            <section class="form-section" aria-label="Sync settings">
              <h3>What to sync</h3>
              <p class="field-help">
                PSA type and status ids, separated by commas; empty means every type or status. Locations follow their
                organizations.
              </p>
              <PsaListsNote lists={psaLists} error={psaListsError} editing={editing} />
              {SYNC_TYPES.map((t) => (
                <div key={t.type} class="form-grid" role="group" aria-label={t.label}>
                  {check(`settings/${t.type}/enabled`, `Sync ${t.label.toLowerCase()}`)}
                  {check(`settings/${t.type}/include_inactive`, `Include inactive ${t.what}`)}
                  {field(`settings/${t.type}/psa_type_ids`, `${t.label}: PSA type ids`, {
                    placeholder: 'All types',
                    help: named(psaLists, TYPE_LIST[t.type], values[`settings/${t.type}/psa_type_ids`]),
                  })}
                  {field(`settings/${t.type}/psa_status_ids`, `${t.label}: PSA status ids`, {
                    placeholder: 'All statuses',
                    help: named(psaLists, STATUS_LIST[t.type], values[`settings/${t.type}/psa_status_ids`]),
                  })}
                </div>
              ))}
            </section>

            <section class="form-section" aria-label="Type mapping">
              <h3>Configuration type mapping</h3>
              <p class="field-help">
                PSA configuration types not mapped here are matched to a Mortar type of the same name, or one is
                created.
              </p>
              {mapping.map((m, i) => (
                <div key={i} class="map-row">
                  {psaLists?.configuration_type?.length ? (
                    <select
                      aria-label={`PSA type ${i + 1}`}
                      value={m.psa}
                      onChange={(e) =>
                        setMapping(
                          mapping.map((x, j) => (j === i ? { ...x, psa: (e.target as HTMLSelectElement).value } : x)),
                        )
                      }
                    >
                      <option value="">Choose…</option>
                      {m.psa && !psaLists.configuration_type.some((l) => l['psa-id'] === m.psa) && (
                        <option value={m.psa}>Id {m.psa} (not in the PSA)</option>
                      )}
                      {psaLists.configuration_type.map((l) => (
                        <option key={l['psa-id']} value={l['psa-id']}>
                          {l.name}
                          {l.active ? '' : ' (inactive)'}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      aria-label={`PSA type id ${i + 1}`}
                      placeholder="PSA type id"
                      value={m.psa}
                      onInput={(e) =>
                        setMapping(
                          mapping.map((x, j) => (j === i ? { ...x, psa: (e.target as HTMLInputElement).value } : x)),
                        )
                      }
                    />
                  )}
                  <span aria-hidden="true">→</span>
                  <select
                    aria-label={`Mortar type ${i + 1}`}
                    value={m.mortar}
                    onChange={(e) =>
                      setMapping(
                        mapping.map((x, j) => (j === i ? { ...x, mortar: (e.target as HTMLSelectElement).value } : x)),
                      )
                    }
                  >
                    <option value="">Choose…</option>
                    {types.map((t) => (
                      <option key={t.value} value={t.value}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    class="btn btn-small btn-ghost btn-danger-text"
                    onClick={() => setMapping(mapping.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </div>
              ))}
              {invalidKey === 'settings/configuration_type_map' && (
                <span class="field-error">{(error as ApiError).detail}</span>
              )}
              <button
                type="button"
                class="btn btn-small"
                onClick={() => setMapping([...mapping, { psa: '', mortar: '' }])}
              >
                Add mapping
              </button>
            </section>
          </>
        )}

        <section class="form-section" aria-label="Schedule">
          <h3>Schedule</h3>
          <div class="form-grid">
            {field('settings/schedule_minutes', portal ? 'Sync every (minutes)' : 'Sync changes every (minutes)', {
              type: 'number',
              help: 'Default 60: hourly',
            })}
            {!portal &&
              field('settings/full_sync_minutes', 'Full reconciliation every (minutes)', {
                type: 'number',
                help: 'Default 1440: daily; detects deletions',
              })}
            {!portal &&
              field('settings/orphan_share_percent', 'Ask before orphaning more than (%)', {
                type: 'number',
                help: 'Of a type’s linked records in one run',
              })}
          </div>
        </section>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------
// Runs

function RunErrors({ runId }: { runId: string }) {
  const list = useList<RunErrorAttrs>(`/sync_runs/${runId}/relationships/sync_run_errors`, { 'page[size]': 100 });
  return (
    <DataTable<RunErrorAttrs>
      label="Item errors"
      columns={[
        { label: 'PSA record', render: (r) => `${r.attributes['psa-type']} ${r.attributes['psa-id']}` },
        {
          label: 'Mortar record',
          render: (r) =>
            r.attributes['record-type'] ? `${r.attributes['record-type']} ${text(r.attributes['record-id'])}` : '—',
        },
        { label: 'Error', render: (r) => <span class="sync-detail">{r.attributes.detail}</span> },
      ]}
      rows={list.data?.data}
      loading={list.loading}
      error={list.error}
      onRetry={list.reload}
      empty={<Empty title="No item errors">Every record of this run was applied.</Empty>}
    />
  );
}

export function RunsScreen({ id }: { id: string }) {
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Resource<RunAttrs> | null>(null);
  const size = 25;
  const integration = useAsync(() => api.one<IntegrationAttrs>(`/integrations/${id}`), [id]);
  const list = useList<RunAttrs>(`/integrations/${id}/relationships/sync_runs`, {
    'page[number]': page,
    'page[size]': size,
    sort: '-started_at',
  });
  const running = list.data?.data.some((r) => r.attributes.outcome === 'running') ?? false;
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(list.reload, 1500);
    return () => clearTimeout(t);
  }, [list.data, running]);
  const n = (k: keyof RunAttrs) => (r: Resource<RunAttrs>) => number.format(Number(r.attributes[k] ?? 0));
  const columns: Column<RunAttrs>[] = [
    { label: 'Started', class: 'col-time', render: (r) => formatTime(r.attributes['started-at']) },
    { label: 'Finished', class: 'col-time', render: (r) => formatTime(r.attributes['finished-at']) },
    {
      label: 'Run',
      render: (r) => (
        <span>
          {r.attributes.trigger === 'manual' ? 'Manual' : 'Scheduled'}
          {r.attributes.full ? <Badge>Full</Badge> : <Badge tone="blue">Changes</Badge>}
        </span>
      ),
    },
    { label: 'Outcome', render: (r) => <RunOutcome outcome={r.attributes.outcome} /> },
    { label: 'Created', class: 'num', render: n('created-count') },
    { label: 'Updated', class: 'num', render: n('updated-count') },
    { label: 'Unchanged', class: 'num', render: n('unchanged-count') },
    { label: 'Orphaned', class: 'num', render: n('orphaned-count') },
    { label: 'Returned', class: 'num', render: n('returned-count') },
    { label: 'Errors', class: 'num', render: n('error-count') },
    { label: 'API calls', class: 'num', render: n('api-calls') },
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => (
        <button type="button" class="btn btn-small btn-ghost" onClick={() => setOpen(r)}>
          Details
        </button>
      ),
    },
  ];
  const name = integration.data?.attributes.name;
  return (
    <div class="page">
      <PageHeader
        crumbs={[
          { label: 'Account', href: '/account' },
          { label: 'Integrations', href: '/account/integrations' },
        ]}
        title={name ? `Runs of ${name}` : 'Runs'}
        subtitle={
          integration.data && (
            <IntegrationStatus
              status={integration.data.attributes.status}
              detail={integration.data.attributes['status-detail']}
            />
          )
        }
      />
      <AdminOnly>
        <ErrorBanner error={integration.error} />
        <div class="card">
          <DataTable
            label="Sync runs"
            columns={columns}
            rows={list.data?.data}
            loading={list.loading && !list.data}
            error={list.error}
            onRetry={list.reload}
            empty={<Empty title="No runs yet">Start a manual sync from the integrations list.</Empty>}
          />
          <Pagination meta={list.data?.meta} size={size} onPage={setPage} />
        </div>
      </AdminOnly>
      {open && (
        <Modal title={`Run of ${formatTime(open.attributes['started-at'])}`} wide onClose={() => setOpen(null)}>
          <p>
            <RunOutcome outcome={open.attributes.outcome} />
          </p>
          {open.attributes.detail && <Notice tone="warn">{open.attributes.detail}</Notice>}
          <div class="count-grid">
            {(
              [
                ['created-count', 'Created'],
                ['updated-count', 'Updated'],
                ['unchanged-count', 'Unchanged'],
                ['orphaned-count', 'Orphaned'],
                ['returned-count', 'Returned'],
                ['error-count', 'Errors'],
                ['api-calls', 'API calls'],
              ] as [keyof RunAttrs, string][]
            ).map(([k, label]) => (
              <div key={k} class="count-cell">
                <span class="count-value">{number.format(Number(open.attributes[k] ?? 0))}</span>
                <span class="count-label">{label}</span>
              </div>
            ))}
          </div>
          <h3>Item errors</h3>
          <RunErrors runId={open.id} />
        </Modal>
      )}
    </div>
  );
}
