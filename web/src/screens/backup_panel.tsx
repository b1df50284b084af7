// Backup data on a configuration's page (SPEC BACKUP-3): at the top a panel per matched
// backup asset (last backup, storage used, outcome), at the bottom the Unitrends sync badge
// with Compare data and Sync now.
import { useState } from 'preact/hooks';
import { ApiError, api, type Resource } from '../api';
import { backupApi, relativeTime, storageText, type AssetAttrs, type CompareRow } from '../backup';
import { useAsync } from '../hooks';
import { canSyncBackup } from '../session';
import { BackupOutcome } from '../ui/backup_state';
import { ErrorBanner, Modal, SkeletonBlock, formatTime, text } from '../ui/basics';
import { Icon } from '../ui/icons';
import { DataTable } from '../ui/table';

// The backup assets matched to a configuration (usually one; none when not backed up, or
// when the server has no backup routes: a 404 of the list).
export function useBackupAssets(configId: string) {
  return useAsync(async () => {
    try {
      const res = await api.list<AssetAttrs>('/backup_assets', {
        'filter[configuration_id]': configId,
        'page[size]': 10,
      });
      return res.data;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return [];
      throw e;
    }
  }, [configId]);
}

export type BackupAssets = ReturnType<typeof useBackupAssets>;

function When({ value }: { value: string | null | undefined }) {
  if (!value) return <span class="muted">Never</span>;
  return (
    <span class="stack">
      <span>{relativeTime(value)}</span>
      <time class="muted small" dateTime={value}>
        {formatTime(value)}
      </time>
    </span>
  );
}

function Facts({ a }: { a: AssetAttrs }) {
  return (
    <dl class="backup-facts">
      <div>
        <dt>Last backup</dt>
        <dd>
          <When value={a['last-backup-at']} />
        </dd>
      </div>
      <div>
        <dt>Storage used</dt>
        <dd>{storageText(a['storage-used-mb'])}</dd>
      </div>
      <div>
        <dt>Last result</dt>
        <dd>
          <BackupOutcome status={a['last-backup-status']} successful={a['last-backup-successful']} />
          {a['last-backup-type'] && <span class="muted small backup-type">{a['last-backup-type']}</span>}
        </dd>
      </div>
    </dl>
  );
}

// The top of the page: what the last backup did.
export function BackupPanels({ assets }: { assets: BackupAssets }) {
  if (assets.error) return null; // the badge at the bottom reports it
  if (assets.loading && !assets.data) return <SkeletonBlock lines={2} />;
  const list = assets.data ?? [];
  if (list.length === 0) return null;
  return (
    <>
      {list.map((r) => (
        <section key={r.id} class="card card-pad backup-panel" aria-label={`Backup of ${r.attributes.name}`}>
          <div class="backup-panel-head">
            <Icon name="disk" />
            <h2>Backup</h2>
            <span class="muted small">
              Unitrends · {r.attributes['appliance-name'] ?? r.attributes.appliance ?? r.attributes['integration-name']}
            </span>
          </div>
          <Facts a={r.attributes} />
        </section>
      ))}
    </>
  );
}

function CompareDialog({ asset, onClose }: { asset: Resource<AssetAttrs>; onClose: () => void }) {
  const rows = useAsync(() => backupApi.compare(asset.id), [asset.id]);
  const differing = rows.data?.filter((r) => r.differs).length ?? 0;
  return (
    <Modal title="Compare data" wide onClose={onClose}>
      <p class="page-sub">
        Mortar’s configuration beside what Unitrends reports for “{asset.attributes.name}”
        {rows.data &&
          (differing ? `: ${differing} ${differing === 1 ? 'field differs' : 'fields differ'}.` : ': the same.')}
      </p>
      <DataTable<CompareRow>
        label="Comparison"
        columns={[
          { label: 'Field', render: (r) => <span class="cell-title">{r.attributes.label}</span> },
          { label: 'Mortar', render: (r) => <span class="mono-ish">{text(r.attributes.mortar)}</span> },
          { label: 'Unitrends', render: (r) => <span class="mono-ish">{text(r.attributes.portal)}</span> },
          {
            label: 'Same?',
            render: (r) =>
              r.attributes.differs ? (
                <span class="sync-state sync-amber" data-differs="true">
                  <Icon name="warning" size={15} />
                  Differs
                </span>
              ) : (
                <span class="sync-state sync-green">
                  <Icon name="check" size={15} />
                  Same
                </span>
              ),
          },
        ]}
        rows={rows.data?.map((r) => ({ id: r.field, type: 'backup-comparison-rows', attributes: r }))}
        rowClass={(r) => (r.attributes.differs ? 'row-differs' : undefined)}
        loading={rows.loading}
        error={rows.error}
        onRetry={rows.reload}
        empty={<span class="muted">Nothing to compare.</span>}
      />
    </Modal>
  );
}

function SyncBadge({ asset, onSynced }: { asset: Resource<AssetAttrs>; onSynced: () => void }) {
  const [current, setCurrent] = useState(asset);
  const [syncing, setSyncing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [comparing, setComparing] = useState(false);
  const a = current.attributes;
  const syncNow = async () => {
    setSyncing(true);
    setError(null);
    try {
      setCurrent(await backupApi.syncNow(asset.id));
      onSynced();
    } catch (e) {
      setError(e);
    } finally {
      setSyncing(false);
    }
  };
  return (
    <div class="card card-pad sync-badge" aria-label={`Unitrends sync of ${a.name}`} role="group">
      <div class="psa-head">
        <span class="sync-state sync-blue">
          <Icon name="disk" size={15} />
          Unitrends
        </span>
        <span class="muted">
          {a.name} · last synced{' '}
          {a['last-synced-at'] ? (
            <time dateTime={a['last-synced-at']} title={formatTime(a['last-synced-at'])}>
              {relativeTime(a['last-synced-at'])}
            </time>
          ) : (
            'never'
          )}
        </span>
        <span class="toolbar-spacer" />
        <button type="button" class="btn btn-small" onClick={() => setComparing(true)}>
          Compare data
        </button>
        {canSyncBackup() && (
          <button type="button" class="btn btn-small" disabled={syncing} aria-busy={syncing} onClick={syncNow}>
            <span class={syncing ? 'sync-spin' : undefined}>
              <Icon name="refresh" size={15} />
            </span>
            {syncing ? 'Syncing…' : 'Sync now'}
          </button>
        )}
      </div>
      <ErrorBanner error={error} />
      <Facts a={a} />
      {comparing && <CompareDialog asset={current} onClose={() => setComparing(false)} />}
    </div>
  );
}

// The bottom of the page: the sync badge of each matched asset.
export function BackupBadges({ assets }: { assets: BackupAssets }) {
  if (assets.error)
    return (
      <section class="section" aria-label="Unitrends">
        <ErrorBanner error={assets.error} onRetry={assets.reload} />
      </section>
    );
  const list = assets.data ?? [];
  if (list.length === 0) return null;
  return (
    <section class="section" aria-label="Unitrends">
      <div class="section-head">
        <h2>Unitrends</h2>
      </div>
      {list.map((r) => (
        <SyncBadge key={r.id + (r.attributes['last-synced-at'] ?? '')} asset={r} onSynced={assets.reload} />
      ))}
    </section>
  );
}
