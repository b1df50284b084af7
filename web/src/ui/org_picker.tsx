// Finds records by name through the server's search: RecordSearch is the combobox (one
// pick at a time: organizations, or one organization's configurations), OrgPicker picks
// any number of organizations, shown as removable chips. OrgPicker's value is "12,40".
import { useEffect, useState } from 'preact/hooks';
import { api, message } from '../api';

export type Hit = { id: string; name: string };

export function RecordSearch({
  id,
  label,
  onPick,
  resourceType = 'organizations',
  organizationId,
  placeholder = 'Find an organization…',
  disabled,
}: {
  id: string;
  // The accessible name when no <label for> names the input.
  label?: string;
  onPick: (hit: Hit) => void;
  resourceType?: 'organizations' | 'configurations';
  organizationId?: string | number | null;
  placeholder?: string;
  disabled?: boolean;
}) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [error, setError] = useState('');
  const [active, setActive] = useState(0);

  useEffect(() => {
    if (!q.trim()) {
      setHits([]);
      return;
    }
    const t = setTimeout(() => {
      api
        .list<{ 'resource-id': number; title: string }>('/search_results', {
          q,
          'filter[resource_type]': resourceType,
          'filter[organization_id]': organizationId ?? undefined,
          'page[size]': 8,
        })
        .then(
          (r) => {
            setHits(r.data.map((h) => ({ id: String(h.attributes['resource-id']), name: h.attributes.title })));
            setActive(0);
            setError('');
          },
          (e) => setError(message(e)),
        );
    }, 200);
    return () => clearTimeout(t);
  }, [q, resourceType, organizationId]);

  const pick = (h: Hit) => {
    setQ('');
    setHits([]);
    onPick(h);
  };
  return (
    <div class="picker-input">
      <input
        id={id}
        type="search"
        placeholder={placeholder}
        aria-label={label}
        value={q}
        disabled={disabled}
        autocomplete="off"
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls={`${id}-list`}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, hits.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && hits[active]) {
            e.preventDefault();
            pick(hits[active]);
          } else if (e.key === 'Escape' && hits.length > 0) {
            // Closes the list, not the dialog around it.
            e.preventDefault();
            e.stopPropagation();
            setHits([]);
          }
        }}
      />
      {hits.length > 0 && (
        <ul class="suggestions" id={`${id}-list`} role="listbox" aria-label={label}>
          {hits.map((h, i) => (
            <li
              key={h.id}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'suggestion suggestion-active' : 'suggestion'}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
            >
              {h.name}
            </li>
          ))}
        </ul>
      )}
      {error && <span class="field-error">{error}</span>}
    </div>
  );
}

export function OrgPicker({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const ids = value ? value.split(',').filter(Boolean) : [];
  const [names, setNames] = useState<Record<string, string>>({});
  const [error, setError] = useState('');

  // Names of the organizations already chosen.
  useEffect(() => {
    const missing = ids.filter((i) => !(i in names));
    if (missing.length === 0) return;
    api
      .list<{ name: string }>('/organizations', { 'filter[id]': missing.join(','), 'page[size]': missing.length })
      .then(
        (r) => setNames((n) => ({ ...n, ...Object.fromEntries(r.data.map((o) => [o.id, o.attributes.name])) })),
        (e) => setError(message(e)),
      );
  }, [value]);

  const add = (o: Hit) => {
    setNames((n) => ({ ...n, [o.id]: o.name }));
    if (!ids.includes(o.id)) onChange([...ids, o.id].join(','));
  };
  return (
    <div class="org-picker">
      {ids.length > 0 && (
        <ul class="picked" aria-label={`${label} chosen`}>
          {ids.map((i) => (
            <li key={i} class="pick-chip">
              {names[i] ?? `#${i}`}
              <button
                type="button"
                aria-label={`Remove ${names[i] ?? i}`}
                onClick={() => onChange(ids.filter((x) => x !== i).join(','))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <RecordSearch id={id} onPick={add} />
      {error && <span class="field-error">{error}</span>}
    </div>
  );
}
