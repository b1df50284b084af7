// Small building blocks every screen uses: banners, empty states, skeletons, dialogs,
// tabs, toasts and formatting helpers.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { message } from '../api';

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div class="banner banner-error" role="alert">
      <span class="banner-icon" aria-hidden="true">
        !
      </span>
      <span class="banner-text">{message(error)}</span>
      {onRetry && (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Notice({
  children,
  tone = 'info',
}: {
  children: ComponentChildren;
  tone?: 'info' | 'warn' | 'success';
}) {
  return <div class={`banner banner-${tone}`}>{children}</div>;
}

export function Empty({
  title,
  children,
  action,
}: {
  title: string;
  children?: ComponentChildren;
  action?: ComponentChildren;
}) {
  return (
    <div class="empty">
      <div class="empty-art" aria-hidden="true" />
      <p class="empty-title">{title}</p>
      {children && <p class="empty-text">{children}</p>}
      {action && <div class="empty-action">{action}</div>}
    </div>
  );
}

export function SkeletonRows({ rows = 6, cols = 4 }: { rows?: number; cols?: number }) {
  return (
    <tbody aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} class="skeleton-row">
          {Array.from({ length: cols }, (_, c) => (
            <td key={c}>
              <span class="skeleton" style={{ width: `${40 + ((r * 7 + c * 13) % 45)}%` }} />
            </td>
          ))}
        </tr>
      ))}
    </tbody>
  );
}

export function SkeletonBlock({ lines = 4 }: { lines?: number }) {
  return (
    <div class="skeleton-block" aria-busy="true" aria-label="Loading">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} class="skeleton" style={{ width: `${55 + ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

// A modal dialog on the native <dialog> element: focus is kept inside, Escape closes.
export function Modal({
  title,
  onClose,
  children,
  footer,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    const first = d?.querySelector<HTMLElement>('[autofocus], input, textarea, select, [contenteditable]');
    first?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? 'modal modal-wide' : 'modal'}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <header class="modal-head">
        <h2>{title}</h2>
        <button type="button" class="icon-btn" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div class="modal-body">{children}</div>
      {footer && <footer class="modal-foot">{footer}</footer>}
    </dialog>
  );
}

export function Confirm({
  title,
  text,
  action,
  onConfirm,
  onClose,
}: {
  title: string;
  text: string;
  action: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            class="btn btn-danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await onConfirm();
                onClose();
              } catch (e) {
                setError(e);
                setBusy(false);
              }
            }}
          >
            {busy ? 'Working…' : action}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      <p>{text}</p>
    </Modal>
  );
}

export interface Tab {
  id: string;
  label: string;
  href: string;
  count?: number;
}

export function Tabs({ tabs, active }: { tabs: Tab[]; active: string }) {
  return (
    <nav class="tabs" aria-label="Sections">
      {tabs.map((t) => (
        <a
          key={t.id}
          href={t.href}
          class={t.id === active ? 'tab tab-active' : 'tab'}
          aria-current={t.id === active ? 'page' : undefined}
        >
          {t.label}
          {t.count !== undefined && <span class="tab-count">{t.count}</span>}
        </a>
      ))}
    </nav>
  );
}

// Toasts: short confirmations ("Copied", "Saved") in the corner.
type ToastItem = { id: number; text: string; tone: 'success' | 'error' };
let pushToast: ((t: ToastItem) => void) | null = null;
let toastSeq = 0;

export function toast(text: string, tone: 'success' | 'error' = 'success'): void {
  pushToast?.({ id: ++toastSeq, text, tone });
}

export function Toasts() {
  const [items, setItems] = useState<ToastItem[]>([]);
  useEffect(() => {
    pushToast = (t) => {
      setItems((xs) => [...xs, t]);
      setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== t.id)), 3500);
    };
    return () => {
      pushToast = null;
    };
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map((t) => (
        <div key={t.id} class={`toast toast-${t.tone}`}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

export function PageHeader({
  title,
  subtitle,
  crumbs,
  actions,
}: {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  crumbs?: { label: string; href: string }[];
  actions?: ComponentChildren;
}) {
  return (
    <div class="page-head">
      <div>
        {crumbs && crumbs.length > 0 && (
          <nav class="crumbs" aria-label="Breadcrumb">
            {crumbs.map((c, i) => (
              <span key={c.href}>
                {i > 0 && (
                  <span class="crumb-sep" aria-hidden="true">
                    /
                  </span>
                )}
                <a href={c.href}>{c.label}</a>
              </span>
            ))}
          </nav>
        )}
        <h1>{title}</h1>
        {subtitle && <p class="page-sub">{subtitle}</p>}
      </div>
      {actions && <div class="page-actions">{actions}</div>}
    </div>
  );
}

// The Edit and Delete buttons of a record page's header, each shown only when allowed.
export function RecordActions({
  canEdit,
  canDelete,
  onEdit,
  onDelete,
}: {
  canEdit: boolean;
  canDelete: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <>
      {canEdit && (
        <button type="button" class="btn" onClick={onEdit}>
          Edit
        </button>
      )}
      {canDelete && (
        <button type="button" class="btn btn-danger-text" onClick={onDelete}>
          Delete
        </button>
      )}
    </>
  );
}

export function Badge({
  children,
  tone = 'neutral',
}: {
  children: ComponentChildren;
  tone?: 'neutral' | 'green' | 'amber' | 'red' | 'blue';
}) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export function formatTime(v: unknown): string {
  if (typeof v !== 'string' || !v) return '—';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : dateTime.format(d);
}

export function formatDate(v: unknown): string {
  if (typeof v !== 'string' || !v) return '—';
  const d = new Date(v + (v.length === 10 ? 'T00:00:00Z' : ''));
  return Number.isNaN(d.getTime()) ? v : dateOnly.format(d);
}

export function text(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  return String(v);
}

export const number = new Intl.NumberFormat();

// A value in the monospace face (IPs, serials, usernames); an empty value is a muted dash.
export function Mono({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') return <span class="muted">—</span>;
  return <span class="mono">{String(value)}</span>;
}
