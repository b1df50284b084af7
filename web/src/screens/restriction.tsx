// Restricted records (passwords, documents, flexible assets): visible only to
// administrators and to the users and groups listed. Administrators set it; the server
// enforces it for everyone.
import { isAdmin } from '../session';
import type { FieldSpec } from '../ui/form';

export function restrictionFields(): FieldSpec[] {
  if (!isAdmin()) return [];
  return [
    {
      name: 'restricted',
      label: 'Restricted',
      kind: 'checkbox',
      help: 'Restricted: only administrators and the people below see it',
      wide: true,
    },
    { name: 'allowed-user-ids', label: 'Allowed users', kind: 'multi', lookup: '/mortar_users', wide: true },
    { name: 'allowed-group-ids', label: 'Allowed groups', kind: 'multi', lookup: '/mortar_groups', wide: true },
  ];
}
