// A synced record's PSA state on its own page (SPEC SYNC-3, SYNC-4): state as an icon
// and words, the error detail, and the PSA controls (Disable sync / Enable sync). While
// the record syncs, its PSA-owned fields are read-only in the edit form.
import { message, type Attributes } from '../api';
import { useAsync } from '../hooks';
import { isAdmin } from '../session';
import { kindName, syncApi, type DataType } from '../sync';
import type { FieldSpec } from '../ui/form';
import { LinkStateBadge } from '../ui/sync_state';
import { toast } from '../ui/basics';

// The attributes (form field names) the PSA owns, per type (ARCHITECTURE.md, "Sync engine").
const PSA_OWNED: Record<string, string[]> = {
  organizations: ['name', 'short-name', 'organization-type-id', 'organization-status-id', 'parent-id'],
  configurations: [
    'name',
    'hostname',
    'primary-ip',
    'mac-address',
    'serial-number',
    'asset-tag',
    'configuration-type-id',
    'configuration-status-id',
    'manufacturer-id',
    'location-id',
    'contact-id',
    'installed-at',
    'warranty-expires-at',
  ],
  contacts: ['first-name', 'last-name', 'title', 'email', 'phone', 'location-id'],
};

// The record's link (administrators: Manage Data is theirs; an orphaned record has no
// psa-integration but still a link).
export function usePsaLink(dataType: DataType, recordId: string) {
  return useAsync(() => (isAdmin() ? syncApi.linkOf(dataType, recordId) : Promise.resolve(null)), [dataType, recordId]);
}

// The form fields with the PSA-owned ones read-only while the record syncs. A linked
// record whose state is unknown (a user who may not read Manage Data) is treated as
// syncing; the server decides either way.
export function withPsaOwned(
  dataType: DataType,
  fields: FieldSpec[],
  record: Attributes | undefined,
  state: string | null | undefined,
): FieldSpec[] {
  const psa = record?.['psa-integration'];
  const syncing = state === 'syncing' || (!isAdmin() && psa !== null && psa !== undefined);
  if (!syncing) return fields;
  const owned = new Set(PSA_OWNED[dataType] ?? []);
  const name = psaName(String(psa ?? ''));
  return fields.map((f) => (owned.has(f.name) ? { ...f, readOnly: `Owned by ${name} while this record syncs` } : f));
}

function psaName(psaType: string): string {
  return psaType === 'manage' ? 'ConnectWise Manage' : kindName(psaType);
}

export function PsaControls({ link, onChanged }: { link: ReturnType<typeof usePsaLink>; onChanged: () => void }) {
  const l = link.data;
  if (!l) return null;
  const a = l.attributes;
  const act = async (action: 'disable' | 'enable') => {
    try {
      await syncApi.linkAction(l.id, action);
      toast(action === 'disable' ? 'Sync disabled for this record' : 'Sync enabled for this record');
      link.reload();
      onChanged();
    } catch (e) {
      toast(message(e), 'error');
    }
  };
  return (
    <section class="section psa-panel" aria-label="PSA controls">
      <div class="section-head">
        <h2>PSA controls</h2>
      </div>
      <div class="card card-pad">
        <div class="psa-head">
          <LinkStateBadge state={a.state} />
          <span class="muted">
            {a['integration-name']} ({psaName(a['psa-integration-type'])}) · PSA id{' '}
            <span class="mono">{a['psa-id']}</span>
          </span>
          <span class="toolbar-spacer" />
          {(a.state === 'syncing' || a.state === 'error' || a.state === 'orphaned') && (
            <button type="button" class="btn btn-small" onClick={() => act('disable')}>
              Disable sync
            </button>
          )}
          {a.state === 'disabled' && (
            <button type="button" class="btn btn-small" onClick={() => act('enable')}>
              Enable sync
            </button>
          )}
        </div>
        {a.state === 'syncing' && (
          <p class="field-help">Fields the PSA owns are read-only while this record syncs; notes stay editable.</p>
        )}
        {a.state === 'error' && a['error-detail'] && (
          <div class="banner banner-error psa-error" role="note">
            <strong>Sync error:</strong> {a['error-detail']}
          </div>
        )}
      </div>
    </section>
  );
}
