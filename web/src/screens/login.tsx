// Sign in with email and password (POST /api/web_sessions).
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { navigate } from '../router';
import { signIn } from '../session';
import { ErrorBanner } from '../ui/basics';

export function LoginScreen({ next }: { next: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div class="login">
      <div class="login-card">
        <div class="login-brand">
          <span class="brand-mark" aria-hidden="true" />
          <span>Mortar</span>
        </div>
        <h1>Sign in</h1>
        <p class="login-sub">IT documentation for your clients, in one place.</p>
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError(null);
            try {
              await signIn(email.trim(), password);
              navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/organizations', { replace: true });
            } catch (err) {
              setError(err);
              setBusy(false);
            }
          }}
        >
          <ErrorBanner error={error} />
          {error instanceof ApiError && error.status === 429 && (
            <p class="field-help">Too many attempts: this account is locked for a short while.</p>
          )}
          <div class="field">
            <label for="login-email">Email</label>
            <input
              id="login-email"
              type="email"
              autocomplete="username"
              required
              autofocus
              value={email}
              onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="login-password">Password</label>
            <input
              id="login-password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            />
          </div>
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </div>
  );
}
