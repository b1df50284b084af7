// Sync states as an icon and words, in one look everywhere: the integration's status
// (SPEC SYNC-8) and a linked record's state (SYNC-3).
import { Icon } from './icons';

const LINK_STATES: Record<string, { label: string; tone: string; icon: string }> = {
  syncing: { label: 'Syncing', tone: 'neutral', icon: 'plug' },
  orphaned: { label: 'Orphaned', tone: 'amber', icon: 'plug' },
  disabled: { label: 'Sync disabled', tone: 'red', icon: 'plug' },
  error: { label: 'Sync error', tone: 'red', icon: 'warning' },
  disconnected: { label: 'Disconnected', tone: 'blue', icon: 'pause' },
};

export function linkStateLabel(state: string): string {
  return LINK_STATES[state]?.label ?? state;
}

export function LinkStateBadge({ state }: { state: string }) {
  const s = LINK_STATES[state] ?? { label: state, tone: 'neutral', icon: 'circle' };
  return (
    <span class={`sync-state sync-${s.tone}`} data-state={state}>
      <Icon name={s.icon} size={15} />
      {s.label}
    </span>
  );
}

const STATUSES: Record<string, { label: string; tone: string; icon: string }> = {
  never: { label: 'Not synced yet', tone: 'neutral', icon: 'circle' },
  syncing: { label: 'Syncing…', tone: 'blue', icon: 'refresh' },
  ok: { label: 'OK', tone: 'green', icon: 'check' },
  error: { label: 'Error', tone: 'red', icon: 'warning' },
  credentials_invalid: { label: 'Credentials invalid', tone: 'red', icon: 'lock' },
  paused: { label: 'Paused', tone: 'amber', icon: 'pause' },
};

export function IntegrationStatus({ status, detail }: { status: string; detail?: string | null }) {
  const s = STATUSES[status] ?? { label: status, tone: 'neutral', icon: 'circle' };
  return (
    <span class="sync-status">
      <span class={`sync-state sync-${s.tone}${status === 'syncing' ? ' sync-spin' : ''}`} data-status={status}>
        <Icon name={s.icon} size={15} />
        {s.label}
      </span>
      {detail && (status === 'error' || status === 'credentials_invalid') && <span class="sync-detail">{detail}</span>}
    </span>
  );
}

const OUTCOMES: Record<string, { label: string; tone: string; icon: string }> = {
  running: { label: 'Running…', tone: 'blue', icon: 'refresh' },
  ok: { label: 'OK', tone: 'green', icon: 'check' },
  error: { label: 'Error', tone: 'red', icon: 'warning' },
  credentials_invalid: { label: 'Credentials invalid', tone: 'red', icon: 'lock' },
  needs_confirmation: { label: 'Needs confirmation', tone: 'amber', icon: 'warning' },
  interrupted: { label: 'Interrupted', tone: 'amber', icon: 'pause' },
};

export function RunOutcome({ outcome }: { outcome: string }) {
  const s = OUTCOMES[outcome] ?? { label: outcome, tone: 'neutral', icon: 'circle' };
  return (
    <span class={`sync-state sync-${s.tone}${outcome === 'running' ? ' sync-spin' : ''}`} data-outcome={outcome}>
      <Icon name={s.icon} size={15} />
      {s.label}
    </span>
  );
}
