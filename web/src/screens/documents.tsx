// An organization's documents: a list; each opens in the rich-text editor.
import type { Attributes } from '../api';
import { navigate } from '../router';
import { Badge, formatTime } from '../ui/basics';
import { ResourceTab, type KindDef } from './resource_tab';
import { restrictionFields } from './restriction';

const DOCUMENTS: KindDef<Attributes> = {
  path: '/documents',
  nested: 'documents',
  type: 'documents',
  singular: 'document',
  plural: 'Documents',
  sort: 'name',
  emptyText: 'Runbooks, procedures and notes, written in the rich-text editor.',
  rowHref: (org, r) => `/${org}/docs/${r.id}`,
  columns: [
    {
      label: 'Name',
      sort: 'name',
      render: (r) => (
        <a class="cell-title" href={`/${r.attributes['organization-id']}/docs/${r.id}`}>
          {String(r.attributes.name)}
        </a>
      ),
    },
    { label: 'Folder', render: (r) => String(r.attributes['document-folder-name'] ?? '—') },
    {
      label: 'State',
      render: (r) => (r.attributes.published ? <Badge tone="green">Published</Badge> : <Badge>Draft</Badge>),
    },
    { label: 'Updated', sort: 'updated_at', class: 'col-time', render: (r) => formatTime(r.attributes['updated-at']) },
  ],
  fields: [{ name: 'name', label: 'Name', required: true, wide: true, placeholder: 'Backup procedure' }],
  afterCreate: (org, created) => navigate(`/${org}/docs/${created.id}`),
};

export function DocumentsTab({ orgId }: { orgId: string }) {
  return <ResourceTab orgId={orgId} def={{ ...DOCUMENTS, fields: [...DOCUMENTS.fields, ...restrictionFields()] }} />;
}
