// The signed-in user's own account: who they are, and changing their password
// (PATCH /api/web_sessions/current; other sessions of the user are ended).
import { changePassword, isAdmin, useSession } from '../session';
import { PageHeader, toast } from '../ui/basics';
import { FormDialog } from '../ui/form';
import { useState } from 'preact/hooks';

export function AccountScreen() {
  const session = useSession();
  const [changing, setChanging] = useState(false);
  return (
    <div class="page page-narrow">
      <PageHeader title="Your account" subtitle="Signed in to Mortar" />
      <div class="card card-pad">
        <dl class="details">
          <dt>Name</dt>
          <dd>{session?.name}</dd>
          <dt>Email</dt>
          <dd>{session?.email}</dd>
          <dt>Role</dt>
          <dd>{session?.role}</dd>
        </dl>
        <button type="button" class="btn" onClick={() => setChanging(true)}>
          Change password
        </button>
      </div>
      {isAdmin() && (
        <div class="card card-pad section">
          <h2>Integrations</h2>
          <p class="page-sub">Connect a PSA, follow its syncs and manage the synced data.</p>
          <a class="btn" href="/account/integrations">
            Open integrations
          </a>
        </div>
      )}
      {changing && (
        <FormDialog
          title="Change password"
          fields={[
            {
              name: 'current-password',
              label: 'Current password',
              kind: 'password',
              required: true,
              wide: true,
              autocomplete: 'current-password',
            },
            {
              name: 'new-password',
              label: 'New password',
              kind: 'password',
              required: true,
              wide: true,
              help: 'At least 12 characters. Your other sessions will be signed out.',
            },
          ]}
          submitLabel="Change password"
          submit={(a) => changePassword(String(a['current-password']), String(a['new-password']))}
          onClose={() => setChanging(false)}
          onDone={() => toast('Password changed')}
        />
      )}
    </div>
  );
}
