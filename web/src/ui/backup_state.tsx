// A backup's outcome as an icon and words (never colour alone), and how an item was
// matched, in one look on the matching screens and the configuration page.
import { Icon } from './icons';

const OUTCOMES: Record<string, { label: string; tone: string; icon: string }> = {
  successful: { label: 'Successful', tone: 'green', icon: 'check' },
  warning: { label: 'Warning', tone: 'amber', icon: 'warning' },
  failed: { label: 'Failed', tone: 'red', icon: 'cross' },
  inprogress: { label: 'In progress', tone: 'blue', icon: 'refresh' },
};

// The portal's word (Successful, Warning, Failed, InProgress, Unknown) and its boolean.
export function backupOutcome(status: string | null | undefined, successful?: boolean | null) {
  const key = String(status ?? '')
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  const known = OUTCOMES[key === 'success' || key === 'succeeded' ? 'successful' : key];
  if (known) return { key, ...known };
  if (successful === true) return { key: 'successful', ...OUTCOMES.successful };
  if (successful === false) return { key: 'failed', ...OUTCOMES.failed };
  if (!status) return { key: 'none', label: 'No backups yet', tone: 'neutral', icon: 'circle' };
  return { key: 'unknown', label: status === 'Unknown' ? 'Unknown' : status, tone: 'neutral', icon: 'circle' };
}

export function BackupOutcome({
  status,
  successful,
}: {
  status: string | null | undefined;
  successful?: boolean | null;
}) {
  const o = backupOutcome(status, successful);
  return (
    <span class={`sync-state sync-${o.tone}${o.key === 'inprogress' ? ' sync-spin' : ''}`} data-backup={o.key}>
      <Icon name={o.icon} size={15} />
      {o.label}
    </span>
  );
}

const HOW: Record<string, { label: string; tone: string }> = {
  auto: { label: 'Auto', tone: 'green' },
  manual: { label: 'Manual', tone: 'blue' },
  created: { label: 'Created', tone: 'blue' },
  suggested: { label: 'Suggested', tone: 'amber' },
  ambiguous: { label: 'Ambiguous', tone: 'amber' },
  unmatched: { label: 'Unmatched', tone: 'neutral' },
  ignored: { label: 'Ignored', tone: 'neutral' },
};

export function MatchState({ state }: { state: string }) {
  const h = HOW[state] ?? { label: state, tone: 'neutral' };
  return (
    <span class={`badge badge-${h.tone}`} data-match={state}>
      {h.label}
    </span>
  );
}
