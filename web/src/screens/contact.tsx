// One contact: details, PSA controls when synced, edit and delete.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useAsync } from '../hooks';
import { navigate, useLocation } from '../router';
import { can } from '../session';
import {
  Badge,
  Confirm,
  ErrorBanner,
  PageHeader,
  SkeletonBlock,
  formatTime,
  text,
  toast,
  RecordActions,
} from '../ui/basics';
import { FormDialog } from '../ui/form';
import { CONTACTS } from './organization';
import { formFields } from './resource_tab';
import { PsaControls, usePsaLink, withPsaOwned } from './psa_controls';

function entries(v: unknown): string {
  if (!Array.isArray(v) || v.length === 0) return '—';
  return v.map((e) => String((e as { value?: string }).value ?? '')).join(', ');
}

export function ContactScreen({ id }: { id: string }) {
  const contact = useAsync(() => api.one(`/contacts/${id}`), [id]);
  const link = usePsaLink('contacts', id);
  const loc = useLocation();
  const [editing, setEditing] = useState(loc.query.get('edit') === '1');
  const [deleting, setDeleting] = useState(false);
  const c = contact.data?.attributes;
  const org = c ? String(c['organization-id']) : '';
  return (
    <div class="page">
      <PageHeader
        crumbs={
          c
            ? [
                { label: 'Organizations', href: '/organizations' },
                { label: String(c['organization-name'] ?? 'Organization'), href: `/organizations/${org}/contacts` },
              ]
            : [{ label: 'Organizations', href: '/organizations' }]
        }
        title={c ? text(c.name) : contact.error ? 'Contact' : <span class="skeleton skeleton-title" />}
        subtitle={
          c && (
            <span class="meta-line">
              {c['contact-type-name'] ? <Badge>{String(c['contact-type-name'])}</Badge> : null}
              {c.important === true && <Badge tone="amber">Important</Badge>}
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
      <ErrorBanner error={contact.error} onRetry={contact.reload} />
      {contact.loading && !c && <SkeletonBlock lines={4} />}
      {c && (
        <>
          <div class="card card-pad">
            <dl class="details details-grid">
              <dt>Title</dt>
              <dd>{text(c.title)}</dd>
              <dt>Email</dt>
              <dd>{entries(c['contact-emails'])}</dd>
              <dt>Phone</dt>
              <dd>{entries(c['contact-phones'])}</dd>
              <dt>Location</dt>
              <dd>{text(c['location-name'])}</dd>
            </dl>
            {c.notes ? (
              <div class="notes">
                <h3>Notes</h3>
                <p>{String(c.notes)}</p>
              </div>
            ) : null}
          </div>
          <PsaControls link={link} onChanged={contact.reload} />
        </>
      )}
      {editing && c && (
        <FormDialog
          title="Edit contact"
          fields={withPsaOwned('contacts', formFields(CONTACTS, org), c, link.data?.attributes.state)}
          record={c}
          submit={(a) => api.update(`/contacts/${id}`, 'contacts', id, a)}
          onClose={() => setEditing(false)}
          onDone={() => {
            toast('Contact saved');
            contact.reload();
          }}
        />
      )}
      {deleting && c && (
        <Confirm
          title="Delete contact"
          text={`Delete “${text(c.name)}”? This cannot be undone.`}
          action="Delete"
          onConfirm={async () => {
            await api.remove(`/contacts/${id}`);
            toast('Contact deleted');
            navigate(`/organizations/${org}/contacts`);
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </div>
  );
}
