// Picks organizations by name from any number of them: suggestions come from the
// server's search, chosen ones are shown as removable chips. The value is "12,40".
import { useEffect, useState } from 'preact/hooks';
import { api, message } from '../api';

type Org = { id: string; name: string };

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
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Org[]>([]);
  const [error, setError] = useState('');
  const [active, setActive] = useState(0);

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

  useEffect(() => {
    if (!q.trim()) {
      setHits([]);
      return;
    }
    const t = setTimeout(() => {
      api
        .list<{ 'resource-id': number; title: string }>('/search_results', {
          q,
          'filter[resource_type]': 'organizations',
          'page[size]': 8,
        })
        .then(
          (r) => {
            setHits(r.data.map((h) => ({ id: String(h.attributes['resource-id']), name: h.attributes.title })));
            setActive(0);
          },
          (e) => setError(message(e)),
        );
    }, 200);
    return () => clearTimeout(t);
  }, [q]);

  const add = (o: Org) => {
    setNames((n) => ({ ...n, [o.id]: o.name }));
    if (!ids.includes(o.id)) onChange([...ids, o.id].join(','));
    setQ('');
    setHits([]);
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
      <div class="picker-input">
        <input
          id={id}
          type="search"
          placeholder="Type to find an organization…"
          value={q}
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
              add(hits[active]);
            }
          }}
        />
        {hits.length > 0 && (
          <ul class="suggestions" id={`${id}-list`} role="listbox">
            {hits.map((h, i) => (
              <li
                key={h.id}
                role="option"
                aria-selected={i === active}
                class={i === active ? 'suggestion suggestion-active' : 'suggestion'}
                onMouseDown={(e) => {
                  e.preventDefault();
                  add(h);
                }}
              >
                {h.name}
              </li>
            ))}
          </ul>
        )}
      </div>
      {error && <span class="field-error">{error}</span>}
    </div>
  );
}
