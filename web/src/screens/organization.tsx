// One organization: its header (alert, notes) and a tab per kind of documentation.
import { useState } from 'preact/hooks';
import { api, type Attributes } from '../api';
import { useAsync } from '../hooks';
import { navigate, useLocation } from '../router';
import {
  Badge,
  Confirm,
  ErrorBanner,
  PageHeader,
  SkeletonBlock,
  Tabs,
  formatDate,
  formatTime,
  text,
  toast,
  Mono,
  RecordActions,
} from '../ui/basics';
import { FormDialog } from '../ui/form';
import { can } from '../session';
import { ResourceTab, type KindDef } from './resource_tab';
import { ORG_FIELDS, type OrgAttrs } from './organizations';
import { PasswordsTab } from './passwords';
import { AssetsTab } from './assets';
import { DocumentsTab } from './documents';
import { ChecklistsTab } from './checklists';
import { ActivityTable } from './activity';
import { PsaControls, usePsaLink, withPsaOwned } from './psa_controls';

type A = Attributes;

export const CONFIGURATIONS: KindDef<A> = {
  path: '/configurations',
  nested: 'configurations',
  type: 'configurations',
  singular: 'configuration',
  plural: 'Configurations',
  sort: 'name',
  emptyText: 'Servers, workstations, firewalls, printers: every device you manage for this client.',
  rowHref: (org, r) => `/${org}/configurations/${r.id}`,
  columns: [
    {
      label: 'Name',
      sort: 'name',
      render: (r) => (
        <a class="cell-title" href={`/${r.attributes['organization-id']}/configurations/${r.id}`}>
          {String(r.attributes.name)}
        </a>
      ),
    },
    { label: 'Type', render: (r) => text(r.attributes['configuration-type-name']) },
    {
      label: 'Status',
      render: (r) =>
        r.attributes['configuration-status-name'] ? (
          <Badge tone="green">{String(r.attributes['configuration-status-name'])}</Badge>
        ) : (
          '—'
        ),
    },
    { label: 'Hostname', render: (r) => <Mono value={r.attributes.hostname} /> },
    { label: 'Primary IP', render: (r) => <Mono value={r.attributes['primary-ip']} /> },
    { label: 'Serial', render: (r) => <Mono value={r.attributes['serial-number']} /> },
    { label: 'Warranty', render: (r) => formatDate(r.attributes['warranty-expires-at']) },
  ],
  fields: [
    { name: 'name', label: 'Name', required: true, placeholder: 'CD-FS01' },
    {
      name: 'configuration-type-id',
      label: 'Type',
      kind: 'select',
      required: true,
      lookup: '/configuration_types',
      creatable: 'configuration-types',
    },
    {
      name: 'configuration-status-id',
      label: 'Status',
      kind: 'select',
      lookup: '/configuration_statuses',
      creatable: 'configuration-statuses',
    },
    { name: 'hostname', label: 'Hostname' },
    { name: 'primary-ip', label: 'Primary IP', placeholder: '192.168.10.5' },
    { name: 'mac-address', label: 'MAC address', placeholder: '3C:52:82:10:AA:01' },
    { name: 'serial-number', label: 'Serial number' },
    { name: 'asset-tag', label: 'Asset tag' },
    {
      name: 'manufacturer-id',
      label: 'Manufacturer',
      kind: 'select',
      lookup: '/manufacturers',
      creatable: 'manufacturers',
    },
    { name: 'warranty-expires-at', label: 'Warranty expires', kind: 'date' },
    { name: 'installed-at', label: 'Installed', kind: 'date' },
    { name: 'notes', label: 'Notes', kind: 'textarea' },
  ],
  orgFields: (org) => [
    { name: 'location-id', label: 'Location', kind: 'select', lookup: `/organizations/${org}/relationships/locations` },
    {
      name: 'contact-id',
      label: 'Contact',
      kind: 'select',
      lookup: `/organizations/${org}/relationships/contacts`,
      lookupSort: 'last_name',
    },
  ],
};

export const CONTACTS: KindDef<A> = {
  path: '/contacts',
  nested: 'contacts',
  type: 'contacts',
  singular: 'contact',
  plural: 'Contacts',
  sort: 'last_name',
  emptyText: 'The people at this client you call: owners, office managers, key users.',
  rowHref: (org, r) => `/${org}/contacts/${r.id}`,
  columns: [
    {
      label: 'Name',
      sort: 'last_name',
      render: (r) => (
        <span class="cell-title">
          <a href={`/${r.attributes['organization-id']}/contacts/${r.id}`}>{text(r.attributes.name)}</a>
          {r.attributes.important === true && <Badge tone="amber">Important</Badge>}
        </span>
      ),
    },
    { label: 'Title', render: (r) => text(r.attributes.title) },
    { label: 'Type', render: (r) => text(r.attributes['contact-type-name']) },
    { label: 'Email', render: (r) => <EntryList entries={r.attributes['contact-emails']} mail /> },
    { label: 'Phone', render: (r) => <EntryList entries={r.attributes['contact-phones']} /> },
    { label: 'Location', render: (r) => text(r.attributes['location-name']) },
  ],
  fields: [
    { name: 'first-name', label: 'First name' },
    { name: 'last-name', label: 'Last name' },
    { name: 'title', label: 'Title' },
    { name: 'contact-type-id', label: 'Type', kind: 'select', lookup: '/contact_types', creatable: 'contact-types' },
    {
      name: 'email',
      label: 'Email',
      kind: 'email',
      get: (r) => firstEntry(r['contact-emails']),
      set: (v) => ({ 'contact-emails': v ? [{ value: v, 'label-name': 'Work', primary: true }] : [] }),
    },
    {
      name: 'phone',
      label: 'Phone',
      get: (r) => firstEntry(r['contact-phones']),
      set: (v) => ({ 'contact-phones': v ? [{ value: v, 'label-name': 'Work', primary: true }] : [] }),
    },
    { name: 'important', label: 'Important', kind: 'checkbox', help: 'Important contact' },
    { name: 'notes', label: 'Notes', kind: 'textarea' },
  ],
  orgFields: (org) => [
    { name: 'location-id', label: 'Location', kind: 'select', lookup: `/organizations/${org}/relationships/locations` },
  ],
};

export const LOCATIONS: KindDef<A> = {
  path: '/locations',
  nested: 'locations',
  type: 'locations',
  singular: 'location',
  plural: 'Locations',
  sort: 'name',
  emptyText: 'Offices, branches and data centres of this client.',
  columns: [
    {
      label: 'Name',
      sort: 'name',
      render: (r) => (
        <span class="cell-title">
          {String(r.attributes.name)}
          {r.attributes.primary === true && <Badge tone="blue">Primary</Badge>}
        </span>
      ),
    },
    {
      label: 'Address',
      render: (r) => text([r.attributes['address-1'], r.attributes['address-2']].filter(Boolean).join(', ')),
    },
    { label: 'City', render: (r) => text(r.attributes.city) },
    { label: 'Postal code', render: (r) => text(r.attributes['postal-code']) },
    { label: 'Phone', render: (r) => text(r.attributes['formatted-phone']) },
  ],
  fields: [
    { name: 'name', label: 'Name', required: true, placeholder: 'Head office' },
    { name: 'primary', label: 'Primary', kind: 'checkbox', help: 'Primary location' },
    { name: 'address-1', label: 'Address', wide: true },
    { name: 'address-2', label: 'Address line 2', wide: true },
    { name: 'city', label: 'City' },
    { name: 'postal-code', label: 'Postal code' },
    { name: 'phone', label: 'Phone' },
    { name: 'fax', label: 'Fax' },
    { name: 'notes', label: 'Notes', kind: 'textarea' },
  ],
};

function firstEntry(v: unknown): string {
  return Array.isArray(v) && v.length > 0 ? String((v[0] as { value?: string }).value ?? '') : '';
}

function EntryList({ entries, mail }: { entries: unknown; mail?: boolean }) {
  if (!Array.isArray(entries) || entries.length === 0) return <>—</>;
  const v = String((entries[0] as { value?: string }).value ?? '');
  return mail ? <a href={`mailto:${v}`}>{v}</a> : <span class="mono">{v}</span>;
}

const TABS = [
  ['configurations', 'Configurations'],
  ['contacts', 'Contacts'],
  ['locations', 'Locations'],
  ['passwords', 'Passwords'],
  ['assets', 'Flexible assets'],
  ['documents', 'Documents'],
  ['checklists', 'Checklists'],
  ['activity', 'Activity'],
] as const;

export function OrganizationScreen({ id, tab }: { id: string; tab: string }) {
  const org = useAsync(() => api.one<OrgAttrs>(`/organizations/${id}`), [id]);
  const link = usePsaLink('organizations', id);
  const loc = useLocation();
  const [editing, setEditing] = useState(loc.query.get('edit') === '1');
  const [deleting, setDeleting] = useState(false);
  const o = org.data?.attributes;
  return (
    <div class="page">
      <PageHeader
        crumbs={[{ label: 'Organizations', href: '/organizations' }]}
        title={o ? o.name : org.error ? 'Organization' : <span class="skeleton skeleton-title" />}
        subtitle={
          o && (
            <span class="meta-line">
              {o['short-name'] && <span class="mono">{o['short-name']}</span>}
              {o['organization-type-name'] && <Badge>{o['organization-type-name']}</Badge>}
              {o['organization-status-name'] && <Badge tone="green">{o['organization-status-name']}</Badge>}
              <span class="muted">Updated {formatTime(o['updated-at'])}</span>
            </span>
          )
        }
        actions={
          o && (
            <RecordActions
              canEdit={can('update', 'organizations')}
              canDelete={can('delete', 'organizations')}
              onEdit={() => setEditing(true)}
              onDelete={() => setDeleting(true)}
            />
          )
        }
      />
      <ErrorBanner error={org.error} onRetry={org.reload} />
      {org.loading && !o && <SkeletonBlock lines={2} />}
      {o?.alert && (
        <div class="banner banner-warn" role="note">
          <strong>Alert:</strong> {o.alert}
        </div>
      )}
      {o && (o.description || o['quick-notes']) && (
        <div class="org-notes">
          {o.description && <p>{o.description}</p>}
          {o['quick-notes'] && (
            <p class="quick-notes">
              <strong>Quick notes:</strong> {o['quick-notes']}
            </p>
          )}
        </div>
      )}
      {o && <PsaControls link={link} onChanged={org.reload} />}
      {o && (
        <>
          <Tabs active={tab} tabs={TABS.map(([t, label]) => ({ id: t, label, href: `/organizations/${id}/${t}` }))} />
          <div class="tab-panel">
            {tab === 'configurations' && <ResourceTab key="c" orgId={id} def={CONFIGURATIONS} />}
            {tab === 'contacts' && <ResourceTab key="ct" orgId={id} def={CONTACTS} />}
            {tab === 'locations' && <ResourceTab key="l" orgId={id} def={LOCATIONS} />}
            {tab === 'passwords' && <PasswordsTab orgId={id} open={loc.query.get('open')} />}
            {tab === 'assets' && <AssetsTab orgId={id} />}
            {tab === 'documents' && <DocumentsTab orgId={id} />}
            {tab === 'checklists' && <ChecklistsTab orgId={id} />}
            {tab === 'activity' && <ActivityTable path={`/organizations/${id}/relationships/activity_events`} />}
          </div>
        </>
      )}
      {editing && o && (
        <FormDialog
          title="Edit organization"
          fields={withPsaOwned(
            'organizations',
            ORG_FIELDS,
            org.data!.attributes as unknown as Attributes,
            link.data?.attributes.state,
          )}
          record={org.data!.attributes as unknown as Attributes}
          submit={(a) => api.update(`/organizations/${id}`, 'organizations', id, a)}
          onClose={() => setEditing(false)}
          onDone={() => {
            toast('Organization saved');
            org.reload();
          }}
        />
      )}
      {deleting && o && (
        <Confirm
          title="Delete organization"
          text={`Delete “${o.name}” and everything documented under it? This cannot be undone.`}
          action="Delete organization"
          onConfirm={async () => {
            await api.remove(`/organizations/${id}`);
            toast('Organization deleted');
            navigate('/organizations');
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </div>
  );
}
