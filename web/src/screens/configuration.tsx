// One configuration (a device): its details, its network interfaces and its history.
import { useState } from 'preact/hooks';
import { api, type Attributes, type Resource } from '../api';
import { useAsync, useList } from '../hooks';
import { navigate } from '../router';
import {
  Badge,
  Confirm,
  Empty,
  ErrorBanner,
  PageHeader,
  SkeletonBlock,
  formatDate,
  formatTime,
  text,
  toast,
  Mono,
  RecordActions,
} from '../ui/basics';
import { FormDialog, type FieldSpec } from '../ui/form';
import { DataTable, type Column } from '../ui/table';
import { CONFIGURATIONS } from './organization';
import { formFields } from './resource_tab';
import { can } from '../session';
import { ActivityTable } from './activity';
import { PsaControls, usePsaLink, withPsaOwned } from './psa_controls';
import { LinkStateBadge } from '../ui/sync_state';
import { useLocation } from '../router';
import { BackupBadges, BackupPanels, useBackupAssets } from './backup_panel';

const INTERFACE_FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', placeholder: 'LAN' },
  { name: 'ip-address', label: 'IP address', placeholder: '192.168.10.5' },
  { name: 'mac-address', label: 'MAC address', placeholder: '3C:52:82:10:AA:01' },
  { name: 'primary', label: 'Primary', kind: 'checkbox', help: 'Primary interface' },
  { name: 'notes', label: 'Notes', kind: 'textarea' },
];

function Detail({ label, value, mono }: { label: string; value: unknown; mono?: boolean }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{mono ? <Mono value={value} /> : text(value)}</dd>
    </>
  );
}

function Interfaces({ configId }: { configId: string }) {
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Resource | null>(null);
  const [deleting, setDeleting] = useState<Resource | null>(null);
  const list = useList(`/configurations/${configId}/relationships/configuration_interfaces`, { 'page[size]': 100 });
  const columns: Column<Attributes>[] = [
    { label: 'Name', render: (r) => <span class="cell-title">{text(r.attributes.name)}</span> },
    { label: 'IP address', render: (r) => <Mono value={r.attributes['ip-address']} /> },
    { label: 'MAC address', render: (r) => <Mono value={r.attributes['mac-address']} /> },
    { label: 'Primary', render: (r) => (r.attributes.primary ? <Badge tone="blue">Primary</Badge> : '') },
    { label: 'Notes', render: (r) => text(r.attributes.notes) },
    {
      label: 'Actions',
      class: 'col-actions',
      render: (r) => (
        <div class="row-actions">
          {can('update') && (
            <button type="button" class="btn btn-small btn-ghost" onClick={() => setEditing(r)}>
              Edit
            </button>
          )}
          {can('delete') && (
            <button type="button" class="btn btn-small btn-ghost btn-danger-text" onClick={() => setDeleting(r)}>
              Delete
            </button>
          )}
        </div>
      ),
    },
  ];
  return (
    <section class="section" aria-label="Interfaces">
      <div class="section-head">
        <h2>Interfaces</h2>
        {can('create') && (
          <button type="button" class="btn btn-small" onClick={() => setCreating(true)}>
            Add interface
          </button>
        )}
      </div>
      <div class="card">
        <DataTable
          label="Interfaces"
          columns={columns}
          rows={list.data?.data}
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          empty={
            <Empty title="No interfaces">Add the device's network interfaces with their IP and MAC addresses.</Empty>
          }
        />
      </div>
      {creating && (
        <FormDialog
          title="Add interface"
          fields={INTERFACE_FIELDS}
          submit={(a) =>
            api.create(
              `/configurations/${configId}/relationships/configuration_interfaces`,
              'configuration-interfaces',
              a,
            )
          }
          onClose={() => setCreating(false)}
          onDone={() => {
            toast('Interface added');
            list.reload();
          }}
        />
      )}
      {editing && (
        <FormDialog
          title="Edit interface"
          fields={INTERFACE_FIELDS}
          record={editing.attributes}
          submit={(a) =>
            api.update(`/configuration_interfaces/${editing.id}`, 'configuration-interfaces', editing.id, a)
          }
          onClose={() => setEditing(null)}
          onDone={() => {
            toast('Interface saved');
            list.reload();
          }}
        />
      )}
      {deleting && (
        <Confirm
          title="Delete interface"
          text={`Delete interface “${String(deleting.attributes.name ?? '#' + deleting.id)}”?`}
          action="Delete"
          onConfirm={async () => {
            await api.remove(`/configuration_interfaces/${deleting.id}`);
            list.reload();
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}

export function ConfigurationScreen({ id }: { id: string }) {
  const config = useAsync(() => api.one(`/configurations/${id}`), [id]);
  const link = usePsaLink('configurations', id);
  const backup = useBackupAssets(id);
  const loc = useLocation();
  const [editing, setEditing] = useState(loc.query.get('edit') === '1');
  const [deleting, setDeleting] = useState(false);
  const c = config.data?.attributes;
  const org = c ? String(c['organization-id']) : '';
  return (
    <div class="page">
      <PageHeader
        crumbs={
          c
            ? [
                { label: 'Organizations', href: '/organizations' },
                { label: String(c['organization-name']), href: `/organizations/${org}/configurations` },
              ]
            : [{ label: 'Organizations', href: '/organizations' }]
        }
        title={c ? String(c.name) : config.error ? 'Configuration' : <span class="skeleton skeleton-title" />}
        subtitle={
          c && (
            <span class="meta-line">
              {c['configuration-type-name'] ? <Badge>{String(c['configuration-type-name'])}</Badge> : null}
              {c['configuration-status-name'] ? (
                <Badge tone="green">{String(c['configuration-status-name'])}</Badge>
              ) : null}
              {c.archived ? <Badge tone="amber">Archived</Badge> : null}
              {link.data ? <LinkStateBadge state={link.data.attributes.state} /> : null}
              <span class="muted">Updated {formatTime(c['updated-at'])}</span>
            </span>
          )
        }
        actions={
          c && (
            <RecordActions
              canEdit={can('update')}
              canDelete={can('delete')}
              onEdit={() => setEditing(true)}
              onDelete={() => setDeleting(true)}
            />
          )
        }
      />
      <ErrorBanner error={config.error} onRetry={config.reload} />
      {config.loading && !c && <SkeletonBlock lines={6} />}
      {c && (
        <>
          <BackupPanels assets={backup} />
          <div class="card card-pad">
            <dl class="details details-grid">
              <Detail label="Hostname" value={c.hostname} mono />
              <Detail label="Primary IP" value={c['primary-ip']} mono />
              <Detail label="MAC address" value={c['mac-address']} mono />
              <Detail label="Default gateway" value={c['default-gateway']} mono />
              <Detail label="Serial number" value={c['serial-number']} mono />
              <Detail label="Asset tag" value={c['asset-tag']} mono />
              <Detail label="Manufacturer" value={c['manufacturer-name']} />
              <Detail label="Model" value={c['model-name']} />
              <Detail label="Location" value={c['location-name']} />
              <Detail label="Contact" value={c['contact-name']} />
              <dt>Warranty expires</dt>
              <dd>{formatDate(c['warranty-expires-at'])}</dd>
              <dt>Installed</dt>
              <dd>{formatDate(c['installed-at'])}</dd>
            </dl>
            {c.notes ? (
              <div class="notes">
                <h3>Notes</h3>
                <p>{String(c.notes)}</p>
              </div>
            ) : null}
          </div>
          <PsaControls link={link} onChanged={config.reload} />
          <Interfaces configId={id} />
          <section class="section" aria-label="History">
            <div class="section-head">
              <h2>History</h2>
            </div>
            <ActivityTable
              path="/activity_events"
              filters={{ 'filter[resource_type]': 'configurations', 'filter[resource_id]': id }}
            />
          </section>
          <BackupBadges assets={backup} />
        </>
      )}
      {editing && c && (
        <FormDialog
          title="Edit configuration"
          fields={withPsaOwned('configurations', formFields(CONFIGURATIONS, org), c, link.data?.attributes.state)}
          record={c}
          submit={(a) => api.update(`/configurations/${id}`, 'configurations', id, a)}
          onClose={() => setEditing(false)}
          onDone={() => {
            toast('Configuration saved');
            config.reload();
          }}
        />
      )}
      {deleting && c && (
        <Confirm
          title="Delete configuration"
          text={`Delete “${String(c.name)}” and its interfaces? This cannot be undone.`}
          action="Delete"
          onConfirm={async () => {
            await api.remove(`/configurations/${id}`);
            toast('Configuration deleted');
            navigate(`/organizations/${org}/configurations`);
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </div>
  );
}
