// The sync API (docs/sync-api.md): integrations (PSAs and backup portals), their runs,
// Manage Data and the sync state of one documented record. Administrators only; the
// server answers 403 to others.
import { api, request, type Attributes, type Resource } from './api';

export type Kind = 'autotask' | 'connectwise' | 'halopsa' | 'uniview';

export const KINDS: { value: Kind; label: string }[] = [
  { value: 'autotask', label: 'Autotask' },
  { value: 'connectwise', label: 'ConnectWise Manage' },
  { value: 'halopsa', label: 'HaloPSA' },
  { value: 'uniview', label: 'Unitrends (UniView)' },
];

// A backup portal matches its customers and assets to what Mortar has and creates nothing
// on its own: it has Matching instead of Manage Data, and no PSA sync settings.
export function isBackupPortal(kind: unknown): boolean {
  return kind === 'uniview';
}

export function kindName(kind: unknown): string {
  return KINDS.find((k) => k.value === kind)?.label ?? String(kind ?? '—');
}

// A vendor's connection settings (shown back) and credentials (write-only).
export interface VendorField {
  key: string;
  label: string;
  secret?: boolean;
  placeholder?: string;
}

export const VENDOR_FIELDS: Record<Kind, VendorField[]> = {
  autotask: [
    {
      key: 'zone_lookup_url',
      label: 'Zone lookup URL',
      placeholder: 'https://webservices.autotask.net/atservicesrest',
    },
    { key: 'username', label: 'API user name' },
    { key: 'integration_code', label: 'Tracking identifier (integration code)' },
    { key: 'secret', label: 'API user secret', secret: true },
  ],
  connectwise: [
    { key: 'site_url', label: 'Site URL', placeholder: 'https://na.myconnectwise.net' },
    { key: 'company_id', label: 'Company ID' },
    { key: 'client_id', label: 'Client ID' },
    { key: 'public_key', label: 'Public key', secret: true },
    { key: 'private_key', label: 'Private key', secret: true },
  ],
  halopsa: [
    { key: 'auth_url', label: 'Authorisation server URL', placeholder: 'https://example.halopsa.com/auth' },
    { key: 'resource_url', label: 'Resource server URL', placeholder: 'https://example.halopsa.com/api' },
    { key: 'tenant', label: 'Tenant' },
    { key: 'client_id', label: 'Client ID' },
    { key: 'scope', label: 'Scope', placeholder: 'all' },
    { key: 'client_secret', label: 'Client secret', secret: true },
  ],
  uniview: [
    { key: 'client_id', label: 'Client ID' },
    { key: 'client_secret', label: 'Client secret', secret: true },
    {
      key: 'token_url',
      label: 'Token URL (optional)',
      placeholder: 'Leave blank for Unitrends’ own',
    },
    { key: 'api_url', label: 'API URL (optional)', placeholder: 'Leave blank for Unitrends’ own' },
  ],
};

export interface TypeSettings {
  enabled?: boolean;
  include_inactive?: boolean;
  psa_type_ids?: string[];
  psa_status_ids?: string[];
}

export interface Settings {
  organizations?: TypeSettings;
  locations?: TypeSettings;
  contacts?: TypeSettings;
  configurations?: TypeSettings;
  configuration_type_map?: Record<string, number>;
  schedule_minutes?: number;
  full_sync_minutes?: number;
  orphan_share_percent?: number;
  disconnected?: unknown[];
}

export interface IntegrationAttrs {
  kind: Kind;
  name: string;
  'psa-integration-type': string;
  connection: Record<string, string> | null;
  'credentials-set': boolean;
  settings: Settings | null;
  status: 'never' | 'syncing' | 'ok' | 'error' | 'credentials_invalid' | 'paused';
  'status-detail': string | null;
  'last-run-id': number | null;
  'last-full-at': string | null;
  'last-sync-at': string | null;
  // Backup portals: customers and assets waiting for a match (ignored ones not counted).
  'unmatched-customer-count'?: number | null;
  'unmatched-asset-count'?: number | null;
  'created-at': string;
  'updated-at': string;
}

export interface RunAttrs {
  'integration-id': number;
  trigger: string;
  full: boolean;
  'started-at': string;
  'finished-at': string | null;
  outcome: 'running' | 'ok' | 'error' | 'credentials_invalid' | 'needs_confirmation' | 'interrupted';
  'created-count': number;
  'updated-count': number;
  'unchanged-count': number;
  'orphaned-count': number;
  'returned-count': number;
  'error-count': number;
  'api-calls': number;
  detail: string | null;
}

export interface RunErrorAttrs {
  'psa-type': string;
  'psa-id': string;
  'record-type': string | null;
  'record-id': number | null;
  detail: string;
}

export type DataType = 'organizations' | 'locations' | 'contacts' | 'configurations';

export interface ItemAttrs {
  'integration-id': number;
  'integration-name': string;
  'psa-integration-type': string;
  'data-type': DataType;
  'syncing-count': number;
  'orphaned-count': number;
  'disabled-count': number;
  'error-count': number;
  'disconnected-count': number;
  'total-count': number;
  'disconnected-rules': { mode: 'pause' | 'permanent'; 'psa-type-id': string | null; 'psa-status-id': string | null }[];
}

export type LinkState = 'syncing' | 'orphaned' | 'disabled' | 'error' | 'disconnected';

export interface LinkAttrs {
  'integration-id': number;
  'integration-name': string;
  'psa-integration-type': string;
  'data-type': DataType;
  'record-id': number;
  name: string | null;
  'organization-id': number | null;
  state: LinkState;
  'error-detail': string | null;
  'psa-type': string;
  'psa-id': string;
  'psa-type-id': string | null;
  'psa-status-id': string | null;
}

export const syncApi = {
  // Start manual sync; `confirmOrphans` lets a full run orphan what the safety valve stopped.
  startSync: (id: string, confirmOrphans?: Record<string, number>) =>
    request('POST', `/integrations/${id}/sync`, {
      body: {
        data: { type: 'integrations', attributes: confirmOrphans ? { confirm_orphans: confirmOrphans } : {} },
      },
    }),
  pause: (id: string) => api.action<IntegrationAttrs>(`/integrations/${id}/pause`),
  resume: (id: string) => api.action<IntegrationAttrs>(`/integrations/${id}/resume`),
  itemAction: async (itemId: string, action: 'disconnect' | 'reconnect' | 'delete_orphaned', attributes: Attributes) =>
    (
      await request<{ data: Resource<ItemAttrs> }>('POST', `/manage_data_items/${itemId}/${action}`, {
        body: { data: { type: 'manage-data-items', attributes } },
      })
    ).data,
  linkAction: (linkId: string, action: 'disable' | 'enable' | 'reconnect') =>
    api.action<LinkAttrs>(`/manage_data_records/${linkId}/${action}`),
  // The link of one documented record (null when it has none).
  linkOf: async (dataType: DataType, recordId: string): Promise<Resource<LinkAttrs> | null> => {
    const res = await api.list<LinkAttrs>('/manage_data_records', {
      'filter[data_type]': dataType,
      'filter[record_id]': recordId,
      'page[size]': 5,
    });
    return res.data[0] ?? null;
  },
};

// How each data type reads in Manage Data.
export const DATA_TYPES: { type: DataType; singular: string; plural: string }[] = [
  { type: 'organizations', singular: 'organization', plural: 'Organizations' },
  { type: 'configurations', singular: 'configuration', plural: 'Configurations' },
  { type: 'contacts', singular: 'contact', plural: 'Contacts' },
  { type: 'locations', singular: 'location', plural: 'Locations' },
];

// The orphans a run stopped before applying (SPEC SYNC-9), read from the status detail
// ("would orphan 7 of 9 synced configurations …"): data type → count to confirm.
export function orphansToConfirm(detail: string | null | undefined): Record<string, number> | null {
  if (!detail) return null;
  const found: Record<string, number> = {};
  for (const m of detail.matchAll(/would orphan (\d+) of \d+ synced (\w+)/g)) found[m[2]] = Number(m[1]);
  return Object.keys(found).length ? found : null;
}
