// The backup portal API (Unitrends UniView): customers matched to organizations, assets
// matched to configurations, and an asset's backup data. Matching is for administrators
// and managers; backup data follows the configuration's visibility.
import { request, type Attributes, type Resource } from './api';

export type CustomerState = 'unmatched' | 'suggested' | 'auto' | 'manual' | 'ignored';
export type AssetState = 'unmatched' | 'suggested' | 'ambiguous' | 'auto' | 'manual' | 'created' | 'ignored';
// The tabs of the matching screens (filter[state]).
export type MatchTab = 'unmatched' | 'matched' | 'ignored';

export interface OrgSuggestion {
  'organization-id': number;
  'organization-name': string;
  score: number;
  reason: string;
}

export interface CustomerAttrs {
  'integration-id': number;
  'external-id': string;
  name: string;
  state: CustomerState;
  'organization-id': number | null;
  'organization-name': string | null;
  suggestion: OrgSuggestion | null;
  score: number | null;
  reason: string | null;
  'asset-count': number;
  'unmatched-asset-count': number;
  'matched-asset-count': number;
  'appliance-count': number;
  'last-seen-at': string | null;
  'similar-organizations'?: OrgSuggestion[];
}

export interface ConfigSuggestion {
  'configuration-id': number;
  'configuration-name': string;
  score?: number;
  reason: string;
}

export interface BackupRun {
  'started-at': string | null;
  'completed-at': string | null;
  status: string | null;
  type: string | null;
  'size-mb': number | null;
}

export interface AssetAttrs {
  'integration-id': number;
  'integration-name': string;
  'customer-id': number;
  'customer-name': string;
  'organization-id': number | null;
  'external-id': string;
  name: string;
  'asset-type': string | null;
  'ip-address': string | null;
  'mac-addresses': string[];
  appliance: string | null;
  'appliance-name': string | null;
  state: AssetState;
  'configuration-id': number | null;
  'configuration-name': string | null;
  suggestion: ConfigSuggestion | null;
  candidates: ConfigSuggestion[];
  reason: string | null;
  'last-backup-at': string | null;
  'last-backup-started-at': string | null;
  'last-backup-status': string | null;
  'last-backup-successful': boolean | null;
  'last-backup-type': string | null;
  'last-replication-status': string | null;
  'storage-used-mb': number | null;
  'recent-backups': BackupRun[];
  'last-synced-at': string | null;
}

export interface CompareRow {
  field: string;
  label: string;
  mortar: string | null;
  portal: string | null;
  differs: boolean;
}

export interface BulkResult {
  data: Resource<AssetAttrs>[];
  meta: { created: number; failed: { id: string | number; detail: string }[]; warning?: string };
}

async function post<A>(path: string, attributes?: Attributes): Promise<Resource<A>> {
  const body = attributes ? { data: { attributes } } : undefined;
  return (await request<{ data: Resource<A> }>('POST', path, { body })).data;
}

export type CustomerAction = 'accept' | 'ignore' | 'unignore' | 'unmatch';
export type AssetAction = 'accept' | 'ignore' | 'unignore' | 'unmatch';

export const backupApi = {
  customerAction: (id: string, action: CustomerAction) =>
    post<CustomerAttrs>(`/backup_customers/${id}/actions/${action}`),
  matchCustomer: (id: string, organizationId: string | number) =>
    post<CustomerAttrs>(`/backup_customers/${id}/actions/match`, { 'organization-id': Number(organizationId) }),
  // 409 (an ApiError whose meta has similar-organizations) unless confirmDuplicate.
  createOrganization: (id: string, name: string, confirmDuplicate: boolean) =>
    post<CustomerAttrs>(`/backup_customers/${id}/actions/create_organization`, {
      name,
      'confirm-duplicate': confirmDuplicate,
    }),
  assetAction: (id: string, action: AssetAction) => post<AssetAttrs>(`/backup_assets/${id}/actions/${action}`),
  matchAsset: (id: string, configurationId: string | number) =>
    post<AssetAttrs>(`/backup_assets/${id}/actions/match`, { 'configuration-id': Number(configurationId) }),
  createConfiguration: (id: string) => post<AssetAttrs>(`/backup_assets/${id}/actions/create_configuration`),
  createConfigurations: (customerId: string, ids: string[] | 'all') =>
    request<BulkResult>('POST', '/backup_assets/actions/create_configurations', {
      body: {
        data: {
          attributes:
            ids === 'all'
              ? { 'customer-id': Number(customerId), all: true }
              : { 'customer-id': Number(customerId), ids: ids.map(Number) },
        },
      },
    }),
  syncNow: (id: string) => post<AssetAttrs>(`/backup_assets/${id}/actions/sync_now`),
  compare: async (id: string) =>
    (await request<{ data: Resource<{ rows: CompareRow[] }> }>('GET', `/backup_assets/${id}/compare`)).data.attributes
      .rows,
};

export const CREATED_WARNING =
  'Configurations created from backup data do not sync to the PSA unless you save them there manually.';

// A score of 0..1 as a percentage ("87 %").
export function scoreText(score: number | null | undefined): string {
  return typeof score === 'number' ? `${Math.round(score * 100)} %` : '';
}

// Storage in the largest unit that keeps a whole number in front (MB, GB, TB).
export function storageText(mb: number | null | undefined): string {
  if (typeof mb !== 'number' || !Number.isFinite(mb)) return '—';
  const fmt = (v: number) => new Intl.NumberFormat(undefined, { maximumFractionDigits: v < 10 ? 1 : 0 }).format(v);
  if (mb >= 1024 * 1024) return `${fmt(mb / (1024 * 1024))} TB`;
  if (mb >= 1024) return `${fmt(mb / 1024)} GB`;
  return `${fmt(mb)} MB`;
}

// "3 hours ago", "in 2 days", "just now".
export function relativeTime(v: string | null | undefined, now = Date.now()): string {
  if (!v) return '';
  const t = new Date(v).getTime();
  if (Number.isNaN(t)) return '';
  const s = Math.round((t - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31536000],
    ['month', 2592000],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, secs] of units) {
    if (abs >= secs) return rtf.format(Math.round(s / secs), unit);
  }
  return rtf.format(s, 'second');
}
