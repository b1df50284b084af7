// Matching of a backup portal (SPEC MATCH-3, MATCH-4): the portal's customers against
// Mortar's organizations (Unmatched, Matched and Ignored tabs), and per matched customer
// its assets against the organization's configurations (Match devices), with single and
// bulk creation. Administrators and managers; the server answers 403 to others.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, message, type Resource } from '../api';
import {
  CREATED_WARNING,
  backupApi,
  scoreText,
  type AssetAttrs,
  type BulkResult,
  type CustomerAttrs,
  type MatchTab,
  type OrgSuggestion,
} from '../backup';
import { useAsync, useList } from '../hooks';
import { setQuery, useLocation } from '../router';
import { canMatch, isAdmin } from '../session';
import type { IntegrationAttrs } from '../sync';
import { BackupOutcome, MatchState } from '../ui/backup_state';
import {
  Badge,
  Empty,
  ErrorBanner,
  Modal,
  Notice,
  PageHeader,
  SkeletonBlock,
  Tabs,
  number,
  text,
  toast,
} from '../ui/basics';
import { RecordSearch, type Hit } from '../ui/org_picker';
import { DataTable, Pagination, type Column } from '../ui/table';

const PAGE_SIZE = 25;

// "1 asset", "3 assets".
function plural(n: number | null | undefined, word: string): string {
  const v = Number(n ?? 0);
  return `${number.format(v)} ${word}${v === 1 ? '' : 's'}`;
}
const TABS: { id: MatchTab; label: string }[] = [
  { id: 'unmatched', label: 'Unmatched' },
  { id: 'matched', label: 'Matched' },
  { id: 'ignored', label: 'Ignored' },
];

function MatchersOnly({ children }: { children: preact.ComponentChildren }) {
  if (!canMatch()) return <Notice tone="warn">Only administrators and managers can match backup data.</Notice>;
  return <>{children}</>;
}

// The tab, search text and page of a matching list, kept in the query string.
function useListState() {
  const loc = useLocation();
  const t = loc.query.get('tab');
  const tab: MatchTab = t === 'matched' || t === 'ignored' ? t : 'unmatched';
  const q = loc.query.get('q') ?? '';
  const page = Math.max(1, Number(loc.query.get('page') ?? 1) || 1);
  return { tab, q, page, loc };
}

// How many rows each tab holds (one small request per tab), refreshed with `version`.
function useTabCounts(path: string, filters: Record<string, string | undefined>, version: number) {
  const key = JSON.stringify(filters);
  return useAsync(async () => {
    if (!canMatch()) return {} as Record<MatchTab, number>;
    const counts = await Promise.all(
      TABS.map((t) => api.list(path, { ...filters, 'filter[state]': t.id, 'page[size]': 1 })),
    );
    return Object.fromEntries(TABS.map((t, i) => [t.id, counts[i].meta['total-count']])) as Record<MatchTab, number>;
  }, [path, key, version]);
}

function MatchTabs({ tab, counts }: { tab: MatchTab; counts: Record<MatchTab, number> | undefined }) {
  const loc = useLocation();
  return (
    <Tabs
      active={tab}
      tabs={TABS.map((t) => {
        const q = new URLSearchParams(loc.query);
        q.delete('page');
        if (t.id === 'unmatched') q.delete('tab');
        else q.set('tab', t.id);
        const s = q.toString();
        return { id: t.id, label: t.label, count: counts?.[t.id], href: loc.path + (s ? '?' + s : '') };
      })}
    />
  );
}

// The name filter: typing updates the query string after a short pause.
function SearchBox({ value, label }: { value: string; label: string }) {
  const [q, setQ] = useState(value);
  useEffect(() => setQ(value), [value]);
  useEffect(() => {
    if (q === value) return;
    const t = setTimeout(() => setQuery({ q: q.trim() || undefined, page: undefined }), 250);
    return () => clearTimeout(t);
  }, [q]);
  return (
    <input
      type="search"
      class="toolbar-search"
      aria-label={label}
      placeholder={label + '…'}
      value={q}
      onInput={(e) => setQ((e.target as HTMLInputElement).value)}
      onKeyDown={(e) => e.key === 'Enter' && setQuery({ q: q.trim() || undefined, page: undefined })}
    />
  );
}

function Suggestion({ name, score, reason }: { name: string; score?: number | null; reason?: string | null }) {
  return (
    <span class="suggestion-cell">
      <span class="cell-title">{name}</span>
      {typeof score === 'number' && <Badge tone="amber">{scoreText(score)}</Badge>}
      {reason && <span class="muted small">{reason}</span>}
    </span>
  );
}

// Runs one row action: a toast on success, the server's detail on failure.
function useRowActions(onDone: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (id: string, work: () => Promise<unknown>, done: string) => {
    setBusy(id);
    try {
      await work();
      toast(done);
      onDone();
    } catch (e) {
      toast(message(e), 'error');
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}

// The Ignored tab's columns, for customers and assets alike: the record, why, Un-ignore.
function ignoredColumnsOf<A extends { name: string; reason?: string | null }>(
  first: Column<A>,
  busy: string | null,
  unignore: (r: Resource<A>) => void,
): Column<A>[] {
  return [
    first,
    { label: 'Why', render: (r) => <span class="muted">{text(r.attributes.reason)}</span> },
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => (
        <div class="row-actions">
          <button type="button" class="btn btn-small" disabled={busy === r.id} onClick={() => unignore(r)}>
            Un-ignore
          </button>
        </div>
      ),
    },
  ];
}

// ---------------------------------------------------------------------------------
// Customers

function CreateOrganizationDialog({
  customer,
  onClose,
  onDone,
  onMatch,
}: {
  customer: Resource<CustomerAttrs>;
  onClose: () => void;
  onDone: () => void;
  onMatch: (org: OrgSuggestion) => void;
}) {
  const [name, setName] = useState(customer.attributes.name);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [similar, setSimilar] = useState<OrgSuggestion[] | null>(null);
  // The similar organizations, read before anything is created.
  const shown = useAsync(() => api.one<CustomerAttrs>(`/backup_customers/${customer.id}`), [customer.id]);
  const list = similar ?? shown.data?.attributes['similar-organizations'] ?? [];
  const duplicate = list.length > 0;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await backupApi.createOrganization(customer.id, name.trim(), duplicate && confirmed);
      toast(`Organization “${name.trim()}” created and matched`);
      onDone();
      onClose();
    } catch (e) {
      // 409: a similar organization appeared meanwhile; it is listed and needs a confirm.
      const more = e instanceof ApiError && e.status === 409 ? e.meta?.['similar-organizations'] : undefined;
      if (Array.isArray(more)) {
        setSimilar(more as OrgSuggestion[]);
        setConfirmed(false);
      }
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Create organization"
      onClose={onClose}
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="form-create-org"
            class={duplicate ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={busy || shown.loading || !name.trim() || (duplicate && !confirmed)}
          >
            {busy ? 'Creating…' : duplicate ? 'Create anyway' : 'Create organization'}
          </button>
        </>
      }
    >
      <form
        id="form-create-org"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && !(duplicate && !confirmed)) submit();
        }}
      >
        <ErrorBanner error={error} />
        <ErrorBanner error={shown.error} onRetry={shown.reload} />
        <div class="field">
          <label for="f-new-org-name">Organization name</label>
          <input
            id="f-new-org-name"
            value={name}
            required
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
          <span class="field-help">
            Creates the organization in Mortar and matches the portal customer “{customer.attributes.name}” to it.
          </span>
        </div>
        {shown.loading && !shown.data && <SkeletonBlock lines={2} />}
        {duplicate && (
          <div class="banner banner-warn duplicate-warning" role="alert">
            <div>
              <p>
                <strong>A similar organization already exists.</strong> Creating another one makes a duplicate; match
                the customer to the existing organization instead if it is the same client.
              </p>
              <ul class="similar-list" aria-label="Similar organizations">
                {list.map((o) => (
                  <li key={o['organization-id']}>
                    <span class="cell-title">{o['organization-name']}</span>
                    <Badge tone="amber">{scoreText(o.score)}</Badge>
                    <span class="muted small">{o.reason}</span>
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => {
                        onMatch(o);
                        onClose();
                      }}
                    >
                      Match to this
                    </button>
                  </li>
                ))}
              </ul>
              <label class="check">
                <input
                  type="checkbox"
                  checked={confirmed}
                  onChange={(e) => setConfirmed((e.target as HTMLInputElement).checked)}
                />
                Create a new organization anyway
              </label>
            </div>
          </div>
        )}
      </form>
    </Modal>
  );
}

function ChangeMatchDialog({
  title,
  current,
  resourceType,
  organizationId,
  onMatch,
  onUnmatch,
  onClose,
}: {
  title: string;
  current: string | null;
  resourceType: 'organizations' | 'configurations';
  organizationId?: number | null;
  onMatch: (hit: Hit) => Promise<unknown>;
  onUnmatch: () => Promise<unknown>;
  onClose: () => void;
}) {
  const [chosen, setChosen] = useState<Hit | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const what = resourceType === 'organizations' ? 'organization' : 'configuration';
  const go = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" class="btn btn-ghost btn-danger-text" disabled={busy} onClick={() => go(onUnmatch)}>
            Unmatch
          </button>
          <span class="toolbar-spacer" />
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            class="btn btn-primary"
            disabled={busy || !chosen}
            onClick={() => chosen && go(() => onMatch(chosen))}
          >
            {busy ? 'Matching…' : 'Match'}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      <p>
        Now matched to <strong>{text(current)}</strong>.
      </p>
      <div class="field change-match">
        <label for="f-change-match">New {what}</label>
        <RecordSearch
          id="f-change-match"
          resourceType={resourceType}
          organizationId={organizationId}
          placeholder={`Type to find a ${what}…`}
          onPick={setChosen}
        />
        {chosen && (
          <span class="field-help">
            Match to <strong>{chosen.name}</strong>
          </span>
        )}
      </div>
      <p class="field-help">Unmatch returns it to the matcher’s own decision (unmatched or a suggestion).</p>
    </Modal>
  );
}

export function MatchingScreen({ id }: { id?: string }) {
  const { tab, q, page } = useListState();
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState<Resource<CustomerAttrs> | null>(null);
  const [changing, setChanging] = useState<Resource<CustomerAttrs> | null>(null);
  // Administrators read the integration's name; managers may match but not read integrations.
  const integration = useAsync(
    () => (id && isAdmin() ? api.one<IntegrationAttrs>(`/integrations/${id}`) : Promise.resolve(null)),
    [id],
  );
  const filters = { 'filter[integration_id]': id };
  const list = useList<CustomerAttrs>(canMatch() ? '/backup_customers' : null, {
    ...filters,
    'filter[state]': tab,
    'filter[name]': q || undefined,
    sort: tab === 'matched' ? 'organization-name' : 'name',
    'page[number]': page,
    'page[size]': PAGE_SIZE,
  });
  const counts = useTabCounts('/backup_customers', filters, version);
  const changed = () => {
    list.reload();
    setVersion((v) => v + 1);
  };
  const { busy, run } = useRowActions(changed);
  const match = (r: Resource<CustomerAttrs>, org: { id: string | number; name: string }) =>
    run(r.id, () => backupApi.matchCustomer(r.id, org.id), `${r.attributes.name} matched to ${org.name}`);

  const customer: Column<CustomerAttrs> = {
    label: 'Portal customer',
    render: (r) => (
      <span class="stack">
        <span class="cell-title">{r.attributes.name}</span>
        <span class="muted small">
          {plural(r.attributes['asset-count'], 'asset')} · {plural(r.attributes['appliance-count'], 'appliance')}
        </span>
      </span>
    ),
  };
  const unmatchedColumns: Column<CustomerAttrs>[] = [
    customer,
    {
      label: 'Suggestion',
      render: (r) => {
        const s = r.attributes.suggestion;
        return s ? (
          <Suggestion name={s['organization-name']} score={s.score} reason={s.reason} />
        ) : (
          <span class="muted">No suggestion</span>
        );
      },
    },
    {
      label: 'Match to',
      class: 'col-match',
      render: (r) => (
        <RecordSearch
          id={`match-${r.id}`}
          label={`Match ${r.attributes.name} to`}
          disabled={busy === r.id}
          onPick={(h) => match(r, h)}
        />
      ),
    },
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => (
        <div class="row-actions row-actions-wrap">
          {r.attributes.suggestion && (
            <button
              type="button"
              class="btn btn-small btn-primary"
              disabled={busy === r.id}
              onClick={() =>
                run(
                  r.id,
                  () => backupApi.customerAction(r.id, 'accept'),
                  `${r.attributes.name} matched to ${r.attributes.suggestion!['organization-name']}`,
                )
              }
            >
              Accept suggestion
            </button>
          )}
          <button type="button" class="btn btn-small" disabled={busy === r.id} onClick={() => setCreating(r)}>
            Create organization
          </button>
          <button
            type="button"
            class="btn btn-small btn-ghost"
            disabled={busy === r.id}
            onClick={() => run(r.id, () => backupApi.customerAction(r.id, 'ignore'), `${r.attributes.name} ignored`)}
          >
            Ignore
          </button>
        </div>
      ),
    },
  ];
  const matchedColumns: Column<CustomerAttrs>[] = [
    customer,
    {
      label: 'Organization',
      render: (r) =>
        r.attributes['organization-id'] ? (
          <a class="cell-title" href={`/organizations/${r.attributes['organization-id']}`}>
            {text(r.attributes['organization-name'])}
          </a>
        ) : (
          '—'
        ),
    },
    {
      label: 'How matched',
      render: (r) => (
        <span class="suggestion-cell">
          <MatchState state={r.attributes.state} />
          {typeof r.attributes.score === 'number' && <Badge>{scoreText(r.attributes.score)}</Badge>}
          {r.attributes.reason && <span class="muted small">{r.attributes.reason}</span>}
        </span>
      ),
    },
    {
      label: 'Assets',
      render: (r) => (
        <span class="stack">
          <span>{number.format(r.attributes['matched-asset-count'] ?? 0)} matched</span>
          {(r.attributes['unmatched-asset-count'] ?? 0) > 0 ? (
            <span class="warn-text">{number.format(r.attributes['unmatched-asset-count'])} unmatched</span>
          ) : (
            <span class="muted small">none unmatched</span>
          )}
        </span>
      ),
    },
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => (
        <div class="row-actions">
          <button type="button" class="btn btn-small" onClick={() => setChanging(r)}>
            Change match
          </button>
          <a class="btn btn-small btn-primary" href={`/account/matching/customers/${r.id}`}>
            Match devices
          </a>
        </div>
      ),
    },
  ];
  const ignoredColumns = ignoredColumnsOf(customer, busy, (r) =>
    run(r.id, () => backupApi.customerAction(r.id, 'unignore'), `${r.attributes.name} is no longer ignored`),
  );
  const columns = tab === 'matched' ? matchedColumns : tab === 'ignored' ? ignoredColumns : unmatchedColumns;
  const name = integration.data?.attributes.name;
  const nothingYet = !q && counts.data !== undefined && TABS.every((t) => counts.data![t.id] === 0);
  const empty = {
    unmatched: q ? 'No unmatched customer has that name' : 'Every customer is matched or ignored',
    matched: q ? 'No matched customer has that name' : 'No customer is matched yet',
    ignored: q ? 'No ignored customer has that name' : 'No customer is ignored',
  }[tab];
  return (
    <div class="page matching">
      <PageHeader
        crumbs={
          isAdmin()
            ? [
                { label: 'Account', href: '/account' },
                { label: 'Integrations', href: '/account/integrations' },
              ]
            : [{ label: 'Account', href: '/account' }]
        }
        title={name ? `Matching: ${name}` : 'Backup matching'}
        subtitle="Unitrends customers matched to organizations; their assets are matched to configurations under Match devices"
      />
      <MatchersOnly>
        <ErrorBanner error={integration.error} />
        <MatchTabs tab={tab} counts={counts.data} />
        <div class="toolbar">
          <SearchBox value={q} label="Search customers" />
        </div>
        <div class="card">
          <DataTable<CustomerAttrs>
            label={`${TABS.find((t) => t.id === tab)!.label} customers`}
            columns={columns}
            rows={list.data?.data}
            loading={list.loading && !list.data}
            error={list.error}
            onRetry={list.reload}
            empty={
              nothingYet ? (
                <Empty title="No Unitrends customers yet">
                  {isAdmin()
                    ? 'Connect Unitrends (UniView) under Integrations and start a sync: its customers appear here.'
                    : 'They appear here once an administrator connects Unitrends (UniView) and it syncs.'}
                </Empty>
              ) : (
                <Empty title={empty}>
                  {tab === 'unmatched' && !q && 'New customers appear here after a sync of the integration.'}
                </Empty>
              )
            }
          />
          <Pagination
            meta={list.data?.meta}
            size={PAGE_SIZE}
            onPage={(p) => setQuery({ page: p > 1 ? p : undefined })}
          />
        </div>
      </MatchersOnly>
      {creating && (
        <CreateOrganizationDialog
          customer={creating}
          onClose={() => setCreating(null)}
          onDone={changed}
          onMatch={(o) => match(creating, { id: o['organization-id'], name: o['organization-name'] })}
        />
      )}
      {changing && (
        <ChangeMatchDialog
          title={`Change match of ${changing.attributes.name}`}
          current={changing.attributes['organization-name']}
          resourceType="organizations"
          onMatch={async (h) => {
            await backupApi.matchCustomer(changing.id, h.id);
            toast(`${changing.attributes.name} matched to ${h.name}`);
            changed();
          }}
          onUnmatch={async () => {
            await backupApi.customerAction(changing.id, 'unmatch');
            toast(`${changing.attributes.name} unmatched`);
            changed();
          }}
          onClose={() => setChanging(null)}
        />
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------
// Match devices

function CreateConfigurationsDialog({
  what,
  count,
  names,
  onCreate,
  onClose,
}: {
  what: string;
  count: number | null;
  // Asset names by id, to name the failed items.
  names: Record<string, string>;
  onCreate: () => Promise<BulkResult>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<BulkResult | null>(null);
  return (
    <Modal
      title={result ? 'Configurations created' : `Create ${what}`}
      onClose={onClose}
      footer={
        result ? (
          <button type="button" class="btn btn-primary" onClick={onClose} autofocus>
            Done
          </button>
        ) : (
          <>
            <button type="button" class="btn" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              class="btn btn-primary"
              disabled={busy}
              autofocus
              onClick={async () => {
                setBusy(true);
                setError(null);
                try {
                  setResult(await onCreate());
                } catch (e) {
                  setError(e);
                } finally {
                  setBusy(false);
                }
              }}
            >
              {busy ? 'Creating…' : `Create ${what}`}
            </button>
          </>
        )
      }
    >
      <ErrorBanner error={error} />
      {!result && (
        <>
          <div class="banner banner-warn" role="note">
            <span class="banner-icon" aria-hidden="true">
              !
            </span>
            <span class="banner-text">{CREATED_WARNING}</span>
          </div>
          <p>
            {count === null
              ? 'A configuration is created in the organization for every remaining unmatched or suggested asset of this customer. Ambiguous ones are left for you to decide.'
              : `A configuration is created in the organization for ${number.format(count)} ${count === 1 ? 'asset' : 'assets'}, from its name, IP address, MAC address and type.`}{' '}
            Match devices by MAC address or suggestion first, so nothing is created twice.
          </p>
        </>
      )}
      {result && (
        <div class="bulk-result">
          <Notice tone={result.meta.failed.length ? 'warn' : 'success'}>
            {number.format(result.meta.created)} {result.meta.created === 1 ? 'configuration' : 'configurations'}{' '}
            created
            {result.meta.failed.length > 0 && `, ${number.format(result.meta.failed.length)} failed`}.
          </Notice>
          {result.meta.failed.length > 0 && (
            <ul class="failed-list" aria-label="Failed items">
              {result.meta.failed.map((f) => (
                <li key={String(f.id)}>
                  <span class="cell-title">{names[String(f.id)] ?? `Asset ${f.id}`}</span>:{' '}
                  <span class="sync-detail">{f.detail}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Modal>
  );
}

export function MatchDevicesScreen({ id }: { id: string }) {
  const { tab, q, page } = useListState();
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<{ ids: string[] | 'all'; names: Record<string, string> } | null>(null);
  const open = (ids: string[] | 'all') =>
    setBulk({ ids, names: Object.fromEntries(rows.map((r) => [r.id, r.attributes.name])) });
  const [changing, setChanging] = useState<Resource<AssetAttrs> | null>(null);
  const customer = useAsync(
    () => (canMatch() ? api.one<CustomerAttrs>(`/backup_customers/${id}`) : Promise.resolve(null)),
    [id, version],
  );
  const c = customer.data?.attributes;
  const orgId = c?.['organization-id'] ?? null;
  const filters = { 'filter[customer_id]': id };
  const list = useList<AssetAttrs>(canMatch() ? '/backup_assets' : null, {
    ...filters,
    'filter[state]': tab,
    'filter[name]': q || undefined,
    sort: 'name',
    'page[number]': page,
    'page[size]': PAGE_SIZE,
  });
  const counts = useTabCounts('/backup_assets', filters, version);
  useEffect(() => setSelected(new Set()), [tab, q, page]);
  const changed = () => {
    list.reload();
    setVersion((v) => v + 1);
  };
  const { busy, run } = useRowActions(() => {
    setSelected(new Set());
    changed();
  });
  const rows = list.data?.data ?? [];
  const matchTo = (r: Resource<AssetAttrs>, config: { id: string | number; name: string }) =>
    run(r.id, () => backupApi.matchAsset(r.id, config.id), `${r.attributes.name} matched to ${config.name}`);
  const toggle = (rid: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(rid);
      else n.delete(rid);
      return n;
    });
  const noOrg = c !== undefined && orgId === null;

  const asset: Column<AssetAttrs> = {
    label: 'Portal asset',
    render: (r) => (
      <span class="stack">
        <span class="cell-title">{r.attributes.name}</span>
        <span class="muted small">
          {[r.attributes['asset-type'], r.attributes['appliance-name']].filter(Boolean).join(' · ')}
        </span>
        {r.attributes['ip-address'] && <span class="mono small">{r.attributes['ip-address']}</span>}
        {(r.attributes['mac-addresses'] ?? []).map((m) => (
          <span key={m} class="mono small">
            {m}
          </span>
        ))}
      </span>
    ),
  };
  const unmatchedColumns: Column<AssetAttrs>[] = [
    {
      label: 'Select',
      class: 'col-check',
      render: (r) => (
        <input
          type="checkbox"
          aria-label={`Select ${r.attributes.name}`}
          checked={selected.has(r.id)}
          disabled={r.attributes.state === 'ambiguous'}
          title={r.attributes.state === 'ambiguous' ? 'Pick one of the candidates first' : undefined}
          onChange={(e) => toggle(r.id, (e.target as HTMLInputElement).checked)}
        />
      ),
    },
    asset,
    {
      label: 'Suggestion',
      render: (r) => {
        const a = r.attributes;
        if (a.state === 'ambiguous' && a.candidates?.length) {
          return (
            <div class="candidates">
              <span class="warn-text small">Same MAC on {number.format(a.candidates.length)} configurations:</span>
              <ul aria-label={`Candidates for ${a.name}`}>
                {a.candidates.map((k) => (
                  <li key={k['configuration-id']}>
                    <span class="cell-title">{k['configuration-name']}</span>
                    <span class="muted small">{k.reason}</span>
                    <button
                      type="button"
                      class="btn btn-small"
                      disabled={busy === r.id}
                      aria-label={`Match ${a.name} to ${k['configuration-name']}`}
                      onClick={() => matchTo(r, { id: k['configuration-id'], name: k['configuration-name'] })}
                    >
                      Pick
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          );
        }
        const s = a.suggestion;
        return s ? (
          <Suggestion name={s['configuration-name']} score={s.score} reason={s.reason} />
        ) : (
          <span class="muted">No suggestion</span>
        );
      },
    },
    {
      label: 'Match to',
      class: 'col-match',
      render: (r) => (
        <RecordSearch
          id={`match-${r.id}`}
          label={`Match ${r.attributes.name} to`}
          resourceType="configurations"
          organizationId={orgId}
          placeholder="Find a configuration…"
          disabled={busy === r.id || orgId === null}
          onPick={(h) => matchTo(r, h)}
        />
      ),
    },
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => (
        <div class="row-actions row-actions-wrap">
          {r.attributes.suggestion && r.attributes.state !== 'ambiguous' && (
            <button
              type="button"
              class="btn btn-small btn-primary"
              disabled={busy === r.id || orgId === null}
              onClick={() =>
                run(
                  r.id,
                  () => backupApi.assetAction(r.id, 'accept'),
                  `${r.attributes.name} matched to ${r.attributes.suggestion!['configuration-name']}`,
                )
              }
            >
              Accept suggestion
            </button>
          )}
          <button
            type="button"
            class="btn btn-small"
            disabled={busy === r.id || orgId === null}
            onClick={() => open([r.id])}
          >
            Create configuration
          </button>
          <button
            type="button"
            class="btn btn-small btn-ghost"
            disabled={busy === r.id}
            onClick={() => run(r.id, () => backupApi.assetAction(r.id, 'ignore'), `${r.attributes.name} ignored`)}
          >
            Ignore
          </button>
        </div>
      ),
    },
  ];
  const matchedColumns: Column<AssetAttrs>[] = [
    asset,
    {
      label: 'Configuration',
      render: (r) =>
        r.attributes['configuration-id'] && orgId ? (
          <a class="cell-title" href={`/${orgId}/configurations/${r.attributes['configuration-id']}`}>
            {text(r.attributes['configuration-name'])}
          </a>
        ) : (
          text(r.attributes['configuration-name'])
        ),
    },
    {
      label: 'How matched',
      render: (r) => (
        <span class="suggestion-cell">
          <MatchState state={r.attributes.state} />
          {r.attributes.reason && <span class="muted small">{r.attributes.reason}</span>}
        </span>
      ),
    },
    {
      label: 'Last backup',
      render: (r) => (
        <BackupOutcome
          status={r.attributes['last-backup-status']}
          successful={r.attributes['last-backup-successful']}
        />
      ),
    },
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => (
        <div class="row-actions">
          <button type="button" class="btn btn-small" onClick={() => setChanging(r)}>
            Change match
          </button>
        </div>
      ),
    },
  ];
  const ignoredColumns = ignoredColumnsOf(asset, busy, (r) =>
    run(r.id, () => backupApi.assetAction(r.id, 'unignore'), `${r.attributes.name} is no longer ignored`),
  );
  const columns = tab === 'matched' ? matchedColumns : tab === 'ignored' ? ignoredColumns : unmatchedColumns;
  const selectable = rows.filter((r) => r.attributes.state !== 'ambiguous');
  const remaining = counts.data?.unmatched ?? 0;
  const empty = {
    unmatched: q ? 'No unmatched asset has that name' : 'Every asset is matched or ignored',
    matched: q ? 'No matched asset has that name' : 'No asset is matched yet',
    ignored: q ? 'No ignored asset has that name' : 'No asset is ignored',
  }[tab];
  return (
    <div class="page matching">
      <PageHeader
        crumbs={[
          { label: 'Account', href: '/account' },
          {
            label: 'Matching',
            href: c ? `/account/integrations/${c['integration-id']}/matching?tab=matched` : '/account/matching',
          },
        ]}
        title={
          c ? `Match devices: ${c.name}` : customer.error ? 'Match devices' : <span class="skeleton skeleton-title" />
        }
        subtitle={
          c &&
          (orgId ? (
            <span>
              Assets of this Unitrends customer matched to configurations of{' '}
              <a href={`/organizations/${orgId}/configurations`}>{text(c['organization-name'])}</a>
            </span>
          ) : (
            'This customer is not matched to an organization'
          ))
        }
      />
      <MatchersOnly>
        <ErrorBanner error={customer.error} onRetry={customer.reload} />
        {noOrg && (
          <Notice tone="warn">
            Match the customer to an organization first: its assets are matched to that organization’s configurations.
          </Notice>
        )}
        <MatchTabs tab={tab} counts={counts.data} />
        <div class="toolbar">
          <SearchBox value={q} label="Search assets" />
          <span class="toolbar-spacer" />
          {tab === 'unmatched' && !noOrg && (
            <>
              <button
                type="button"
                class="btn btn-small btn-ghost"
                disabled={selectable.length === 0}
                onClick={() =>
                  setSelected(selected.size === selectable.length ? new Set() : new Set(selectable.map((r) => r.id)))
                }
              >
                {selected.size > 0 && selected.size === selectable.length ? 'Clear selection' : 'Select page'}
              </button>
              <button
                type="button"
                class="btn btn-small"
                disabled={selected.size === 0}
                onClick={() => open([...selected])}
              >
                Create selected ({number.format(selected.size)})
              </button>
              <button
                type="button"
                class="btn btn-small btn-primary"
                disabled={remaining === 0}
                onClick={() => open('all')}
              >
                Create all remaining
              </button>
            </>
          )}
        </div>
        <div class="card">
          <DataTable<AssetAttrs>
            label={`${TABS.find((t) => t.id === tab)!.label} assets`}
            columns={columns}
            rows={list.data?.data}
            loading={list.loading && !list.data}
            error={list.error}
            onRetry={list.reload}
            empty={<Empty title={empty} />}
          />
          <Pagination
            meta={list.data?.meta}
            size={PAGE_SIZE}
            onPage={(p) => setQuery({ page: p > 1 ? p : undefined })}
          />
        </div>
      </MatchersOnly>
      {bulk && (
        <CreateConfigurationsDialog
          what={
            bulk.ids === 'all'
              ? 'configurations'
              : bulk.ids.length === 1
                ? 'configuration'
                : `${bulk.ids.length} configurations`
          }
          count={bulk.ids === 'all' ? null : bulk.ids.length}
          names={bulk.names}
          onCreate={async () => {
            let r: BulkResult;
            if (bulk.ids !== 'all' && bulk.ids.length === 1) {
              // One asset: its own action, its error as a failed item.
              const one = bulk.ids[0];
              try {
                const a = await backupApi.createConfiguration(one);
                r = { data: [a], meta: { created: 1, failed: [] } };
              } catch (e) {
                if (!(e instanceof ApiError) || e.status === 0) throw e;
                r = { data: [], meta: { created: 0, failed: [{ id: one, detail: e.detail }] } };
              }
            } else {
              r = await backupApi.createConfigurations(id, bulk.ids);
            }
            changed();
            setSelected(new Set());
            return r;
          }}
          onClose={() => setBulk(null)}
        />
      )}
      {changing && (
        <ChangeMatchDialog
          title={`Change match of ${changing.attributes.name}`}
          current={changing.attributes['configuration-name']}
          resourceType="configurations"
          organizationId={orgId}
          onMatch={async (h) => {
            await backupApi.matchAsset(changing.id, h.id);
            toast(`${changing.attributes.name} matched to ${h.name}`);
            changed();
          }}
          onUnmatch={async () => {
            await backupApi.assetAction(changing.id, 'unmatch');
            toast(`${changing.attributes.name} unmatched`);
            changed();
          }}
          onClose={() => setChanging(null)}
        />
      )}
    </div>
  );
}
