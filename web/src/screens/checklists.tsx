// Checklists: ordered steps ticked off per client. Ticking an item completes it on the
// server (PATCH /api/checklists/:id/items/:item/complete), unticking un-completes it.
import { useState } from 'preact/hooks';
import { api, message, type Resource } from '../api';
import { useList } from '../hooks';
import { Badge, Confirm, Empty, ErrorBanner, SkeletonBlock, formatDate, formatTime, toast } from '../ui/basics';
import { FormDialog } from '../ui/form';
import { Pagination } from '../ui/table';
import { can } from '../session';

interface Item {
  id: number;
  name: string;
  position: number;
  completed: boolean;
  'completed-at': string | null;
}

interface ChecklistAttrs {
  name: string;
  description: string | null;
  'due-date': string | null;
  'completed-at': string | null;
  'checklist-template-name': string | null;
  items: Item[];
}

function ChecklistCard({
  list,
  onChange,
  onDelete,
}: {
  list: Resource<ChecklistAttrs>;
  onChange: (c: Resource<ChecklistAttrs>) => void;
  onDelete: () => void;
}) {
  // Ticks show at once; the server's answer replaces them (or they revert on an error).
  const [pending, setPending] = useState<Record<number, boolean>>({});
  const items = (list.attributes.items ?? []).map((i) => (i.id in pending ? { ...i, completed: pending[i.id] } : i));
  const done = items.filter((i) => i.completed).length;
  const pct = items.length ? Math.round((done / items.length) * 100) : 0;
  return (
    <article class="card checklist" aria-label={list.attributes.name}>
      <header class="checklist-head">
        <div>
          <h3>{list.attributes.name}</h3>
          <p class="muted">
            {list.attributes['due-date'] && <>Due {formatDate(list.attributes['due-date'])} · </>}
            {done} of {items.length} done
            {list.attributes['checklist-template-name'] && <> · from “{list.attributes['checklist-template-name']}”</>}
          </p>
        </div>
        <div class="checklist-side">
          {list.attributes['completed-at'] ? <Badge tone="green">Complete</Badge> : <Badge tone="amber">Open</Badge>}
          {can('delete') && (
            <button
              type="button"
              class="btn btn-small btn-ghost btn-danger-text"
              onClick={onDelete}
              aria-label={`Delete ${list.attributes.name}`}
            >
              Delete
            </button>
          )}
        </div>
      </header>
      <div
        class="progress"
        role="progressbar"
        aria-valuenow={pct}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label="Progress"
      >
        <span class="progress-bar" style={{ width: `${pct}%` }} />
      </div>
      {list.attributes.description && <p class="checklist-desc">{list.attributes.description}</p>}
      <ul class="checklist-items">
        {items.map((item) => (
          <li key={item.id} class={item.completed ? 'item-done' : undefined}>
            <label class="check">
              <input
                type="checkbox"
                checked={item.completed}
                disabled={!can('complete')}
                onChange={async () => {
                  const complete = !item.completed;
                  setPending((p) => ({ ...p, [item.id]: complete }));
                  try {
                    const updated = await api.action<ChecklistAttrs>(
                      `/checklists/${list.id}/items/${item.id}/${complete ? 'complete' : 'uncomplete'}`,
                    );
                    onChange(updated);
                  } catch (e) {
                    toast(message(e), 'error');
                  } finally {
                    setPending((p) => {
                      const { [item.id]: _, ...rest } = p;
                      return rest;
                    });
                  }
                }}
              />
              <span class="item-name">{item.name}</span>
            </label>
            {item.completed && item['completed-at'] && (
              <span class="muted item-when">{formatTime(item['completed-at'])}</span>
            )}
          </li>
        ))}
      </ul>
    </article>
  );
}

export function ChecklistsTab({ orgId }: { orgId: string }) {
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Resource<ChecklistAttrs> | null>(null);
  const [overrides, setOverrides] = useState<Record<string, Resource<ChecklistAttrs>>>({});
  const size = 25;
  const list = useList<ChecklistAttrs>(`/organizations/${orgId}/relationships/checklists`, {
    'page[number]': page,
    'page[size]': size,
    sort: 'name',
  });
  const rows = list.data?.data.map((c) => overrides[c.id] ?? c);
  return (
    <section aria-label="Checklists">
      <div class="toolbar">
        <span class="toolbar-spacer" />
        {can('create') && (
          <button type="button" class="btn btn-primary" data-shortcut="n" onClick={() => setCreating(true)}>
            New checklist
          </button>
        )}
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !rows && <SkeletonBlock lines={6} />}
      {rows && rows.length === 0 && !list.loading && (
        <div class="card">
          <Empty
            title="No checklists yet"
            action={
              <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>
                Start a checklist
              </button>
            }
          >
            Onboarding a new starter, a monthly health check: steps to tick off, with who and when.
          </Empty>
        </div>
      )}
      <div class="checklist-grid">
        {rows?.map((c) => (
          <ChecklistCard
            key={c.id}
            list={c}
            onChange={(u) => setOverrides((o) => ({ ...o, [u.id]: u }))}
            onDelete={() => setDeleting(c)}
          />
        ))}
      </div>
      <Pagination meta={list.data?.meta} size={size} onPage={setPage} />
      {creating && (
        <FormDialog
          title="New checklist"
          fields={[
            { name: 'name', label: 'Name', required: true, wide: true, placeholder: 'New starter: Jane Doe' },
            { name: 'checklist-template-id', label: 'Template', kind: 'select', lookup: '/checklist_templates' },
            { name: 'due-date', label: 'Due', kind: 'date' },
            {
              name: 'item-lines',
              label: 'Items',
              kind: 'textarea',
              placeholder: 'Create AD account\nCreate mailbox\nIssue laptop',
              help: 'One step per line (or choose a template).',
              set: (v) => {
                const lines = v
                  .split('\n')
                  .map((s) => s.trim())
                  .filter(Boolean);
                return lines.length ? { items: lines.map((name, i) => ({ name, position: i + 1 })) } : {};
              },
            },
            { name: 'description', label: 'Description', kind: 'textarea' },
          ]}
          submit={(a) => api.create(`/organizations/${orgId}/relationships/checklists`, 'checklists', a)}
          onClose={() => setCreating(false)}
          onDone={() => {
            toast('Checklist created');
            list.reload();
          }}
        />
      )}
      {deleting && (
        <Confirm
          title="Delete checklist"
          text={`Delete “${deleting.attributes.name}”? This cannot be undone.`}
          action="Delete"
          onConfirm={async () => {
            await api.remove(`/checklists/${deleting.id}`);
            toast('Checklist deleted');
            list.reload();
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
