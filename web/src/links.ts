// Where a record of a given JSON:API type lives in the UI.
export function recordHref(
  type: string,
  id: number | string,
  orgId: number | string | null | undefined,
): string | null {
  const t = type.replace(/_/g, '-');
  if (t === 'organizations') return `/organizations/${id}`;
  if (orgId === null || orgId === undefined) return null;
  switch (t) {
    case 'configurations':
      return `/${orgId}/configurations/${id}`;
    case 'documents':
      return `/${orgId}/docs/${id}`;
    case 'passwords':
      return `/${orgId}/passwords/${id}`;
    case 'flexible-assets':
      return `/${orgId}/assets/records/${id}`;
    case 'contacts':
      return `/${orgId}/contacts/${id}`;
    case 'locations':
      return `/organizations/${orgId}/locations`;
    case 'checklists':
      return `/organizations/${orgId}/checklists`;
    default:
      return null;
  }
}

const KIND_LABELS: Record<string, string> = {
  organizations: 'Organization',
  configurations: 'Configuration',
  'configuration-interfaces': 'Interface',
  contacts: 'Contact',
  locations: 'Location',
  passwords: 'Password',
  documents: 'Document',
  'document-folders': 'Folder',
  checklists: 'Checklist',
  'checklist-templates': 'Checklist template',
  'flexible-assets': 'Flexible asset',
  'flexible-asset-types': 'Asset type',
  'flexible-asset-fields': 'Asset field',
};

export function kindLabel(type: string): string {
  const t = type.replace(/_/g, '-');
  return (
    KIND_LABELS[t] ??
    t
      .replace(/-/g, ' ')
      .replace(/s$/, '')
      .replace(/^./, (c) => c.toUpperCase())
  );
}
