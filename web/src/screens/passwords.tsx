// Passwords: listed without their secrets; a secret is fetched only when the user asks
// to reveal or copy it (GET /api/passwords/:id?show_password=true), and the server
// records each reveal in the activity log.
import { useEffect, useState } from 'preact/hooks';
import { api, message, type Attributes } from '../api';
import { Modal, ErrorBanner, SkeletonBlock, formatTime, text, toast, Mono } from '../ui/basics';
import { FormDialog } from '../ui/form';
import { ResourceTab, type KindDef } from './resource_tab';
import { restrictionFields } from './restriction';
import { can } from '../session';

type A = Attributes;

async function fetchSecret(id: string): Promise<string> {
  const r = await api.one<{ password?: string | null }>(`/passwords/${id}`, { show_password: 'true' });
  return String(r.attributes.password ?? '');
}

async function copyText(value: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(value);
    return;
  }
  const ta = document.createElement('textarea');
  ta.value = value;
  document.body.appendChild(ta);
  ta.select();
  document.execCommand('copy');
  ta.remove();
}

// One password's details. With `reveal` the secret is fetched at once (the Reveal button);
// without (a link to the password), only when the user asks: every reveal is logged.
export function RevealDialog({
  id,
  name,
  reveal,
  onClose,
}: {
  id: string;
  name: string;
  reveal: boolean;
  onClose: () => void;
}) {
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState(true);
  const [record, setRecord] = useState<A | null>(null);
  const load = (withSecret: boolean) =>
    api.one(`/passwords/${id}`, { show_password: withSecret ? 'true' : 'false' }).then((r) => {
      setRecord(r.attributes);
      if (withSecret) setSecret(String(r.attributes.password ?? ''));
    }, setError);
  useEffect(() => {
    load(reveal);
  }, [id]);
  const title = record ? String(record.name) : name;
  return (
    <Modal title={`Password: ${title}`} onClose={onClose}>
      <ErrorBanner error={error} />
      {!record && !error && <SkeletonBlock lines={2} />}
      {record && (
        <dl class="details">
          <dt>Username</dt>
          <dd class="mono">{text(record.username)}</dd>
          {record.url ? (
            <>
              <dt>URL</dt>
              <dd>
                <a href={String(record.url)} target="_blank" rel="noopener noreferrer">
                  {String(record.url)}
                </a>
              </dd>
            </>
          ) : null}
          <dt>Password</dt>
          <dd>
            {secret === null ? (
              can('reveal') ? (
                <button type="button" class="btn btn-small btn-primary" onClick={() => load(true)}>
                  Reveal password
                </button>
              ) : (
                <span class="muted">Your role may not reveal passwords.</span>
              )
            ) : (
              <div class="secret-row">
                <input
                  class="secret mono"
                  readOnly
                  aria-label="Password value"
                  type={shown ? 'text' : 'password'}
                  value={secret}
                />
                <button type="button" class="btn btn-small" onClick={() => setShown(!shown)}>
                  {shown ? 'Hide' : 'Show'}
                </button>
                <button
                  type="button"
                  class="btn btn-small btn-primary"
                  onClick={() =>
                    copyText(secret).then(
                      () => toast('Password copied'),
                      (e) => toast(message(e), 'error'),
                    )
                  }
                >
                  Copy
                </button>
              </div>
            )}
          </dd>
          <dt>Changed</dt>
          <dd>{formatTime(record['password-updated-at'])}</dd>
        </dl>
      )}
      <p class="field-help">Every reveal is recorded in the activity log with your name and the time.</p>
    </Modal>
  );
}

function ChangeSecretDialog({ id, onClose, onDone }: { id: string; onClose: () => void; onDone: () => void }) {
  return (
    <FormDialog
      title="Change password"
      fields={[{ name: 'password', label: 'New password', kind: 'password', required: true, wide: true }]}
      submitLabel="Change password"
      submit={(a) => api.update(`/passwords/${id}`, 'passwords', id, a)}
      onClose={onClose}
      onDone={() => {
        toast('Password changed');
        onDone();
      }}
    />
  );
}

export function PasswordsTab({ orgId, open }: { orgId: string; open: string | null }) {
  const [revealing, setRevealing] = useState<{ id: string; name: string; reveal: boolean } | null>(
    open ? { id: open, name: `#${open}`, reveal: false } : null,
  );
  const [changing, setChanging] = useState<string | null>(null);
  const def: KindDef<A> = {
    path: '/passwords',
    nested: 'passwords',
    type: 'passwords',
    singular: 'password',
    plural: 'Passwords',
    sort: 'name',
    emptyText: 'Admin accounts, Wi-Fi keys, vendor portals: encrypted at rest, revealed on demand.',
    columns: [
      { label: 'Name', sort: 'name', render: (r) => <span class="cell-title">{String(r.attributes.name)}</span> },
      { label: 'Username', sort: 'username', render: (r) => <Mono value={r.attributes.username} /> },
      { label: 'Category', render: (r) => text(r.attributes['password-category-name']) },
      {
        label: 'URL',
        render: (r) =>
          r.attributes.url ? (
            <a href={String(r.attributes.url)} target="_blank" rel="noopener noreferrer" class="truncate">
              {String(r.attributes.url)}
            </a>
          ) : (
            '—'
          ),
      },
      {
        label: 'Password',
        render: () => (
          <span class="mono muted" aria-label="hidden">
            ••••••••
          </span>
        ),
      },
      {
        label: 'Updated',
        sort: 'updated_at',
        class: 'col-time',
        render: (r) => formatTime(r.attributes['updated-at']),
      },
    ],
    rowActions: (r) => (
      <>
        {can('reveal') && (
          <>
            <button
              type="button"
              class="btn btn-small"
              onClick={() => setRevealing({ id: r.id, name: String(r.attributes.name), reveal: true })}
              aria-label={`Reveal ${String(r.attributes.name)}`}
            >
              Reveal
            </button>
            <button
              type="button"
              class="btn btn-small btn-ghost"
              aria-label={`Copy ${String(r.attributes.name)}`}
              onClick={() =>
                fetchSecret(r.id)
                  .then(copyText)
                  .then(
                    () => toast('Password copied'),
                    (e) => toast(message(e), 'error'),
                  )
              }
            >
              Copy
            </button>
          </>
        )}
        {can('update') && (
          <button type="button" class="btn btn-small btn-ghost" onClick={() => setChanging(r.id)}>
            Change
          </button>
        )}
      </>
    ),
    fields: [
      { name: 'name', label: 'Name', required: true, placeholder: 'Domain admin' },
      { name: 'username', label: 'Username', autocomplete: 'off' },
      { name: 'password', label: 'Password', kind: 'password', required: true, createOnly: true },
      {
        name: 'password-category-id',
        label: 'Category',
        kind: 'select',
        lookup: '/password_categories',
        creatable: 'password-categories',
      },
      { name: 'url', label: 'URL', kind: 'url', wide: true, placeholder: 'https://' },
      { name: 'notes', label: 'Notes', kind: 'textarea' },
      ...restrictionFields(),
    ],
  };
  return (
    <>
      <ResourceTab orgId={orgId} def={def} />
      {revealing && (
        <RevealDialog
          id={revealing.id}
          name={revealing.name}
          reveal={revealing.reveal}
          onClose={() => setRevealing(null)}
        />
      )}
      {changing && <ChangeSecretDialog id={changing} onClose={() => setChanging(null)} onDone={() => undefined} />}
    </>
  );
}
