// Forms described by field lists: one look for every create and edit dialog, errors from
// the API shown on the field its pointer names.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, lookup, type Attributes } from '../api';
import { ErrorBanner, Modal } from './basics';
import { OrgPicker } from './org_picker';
import { can } from '../session';

export type Option = { value: string; label: string };

export interface FieldSpec {
  // The API attribute, kebab-case ("configuration-type-id").
  name: string;
  label: string;
  kind?:
    'text' | 'textarea' | 'password' | 'email' | 'url' | 'date' | 'number' | 'checkbox' | 'select' | 'multi' | 'orgs';
  required?: boolean;
  placeholder?: string;
  help?: string;
  // select: a lookup route ("/configuration_types") or fixed options.
  lookup?: string;
  // The lookup's sort key when its records have no sortable name (contacts: last_name).
  lookupSort?: string;
  options?: Option[];
  // select with a lookup: offer "New …" that creates an entry of this JSON:API type.
  creatable?: string;
  wide?: boolean;
  // Only on create (e.g. a password field the edit form handles separately).
  createOnly?: boolean;
  autocomplete?: string;
  // The value a create form starts with (an edit form starts with the record's).
  initial?: string | boolean;
  // For attributes that are not one plain value (a contact's e-mail list): read the form
  // value from the record, and turn the entered value into attributes.
  get?: (record: Attributes) => string;
  set?: (value: string, editing: boolean) => Attributes;
  // Shown but not editable, with this reason (a PSA-owned field while the record syncs);
  // its value is not sent.
  readOnly?: string;
}

type Values = Record<string, string | boolean>;

function initialValues(fields: FieldSpec[], record?: Attributes): Values {
  const v: Values = {};
  for (const f of fields) {
    const x = record ? record[f.name] : f.initial;
    if (f.get) v[f.name] = record ? f.get(record) : '';
    else if (f.kind === 'checkbox') v[f.name] = x === true;
    else if (f.kind === 'multi' || f.kind === 'orgs') v[f.name] = Array.isArray(x) ? x.join(',') : '';
    else v[f.name] = x === null || x === undefined ? '' : String(x);
  }
  return v;
}

function toAttributes(fields: FieldSpec[], values: Values, editing: boolean): Attributes {
  const out: Attributes = {};
  for (const f of fields) {
    if (editing && f.createOnly) continue;
    if (f.readOnly) continue;
    const v = values[f.name];
    if (f.kind === 'checkbox') {
      out[f.name] = v === true;
      continue;
    }
    const s = String(v ?? '').trim();
    if (f.kind === 'multi' || f.kind === 'orgs') {
      out[f.name] = s ? s.split(',').map(Number) : [];
      continue;
    }
    if (f.set) {
      if (s !== '' || editing) Object.assign(out, f.set(s, editing));
      continue;
    }
    if (s === '') {
      if (editing) out[f.name] = null;
      continue;
    }
    if (f.kind === 'number' || (f.kind === 'select' && f.lookup)) out[f.name] = Number(s);
    else out[f.name] = f.kind === 'textarea' ? String(v) : s;
  }
  return out;
}

function SelectField({
  field,
  value,
  onChange,
  invalid,
}: {
  field: FieldSpec;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
}) {
  const [options, setOptions] = useState<Option[] | null>(field.options ?? null);
  const [error, setError] = useState<string>('');
  const [adding, setAdding] = useState(false);
  const [newName, setNewName] = useState('');
  useEffect(() => {
    if (!field.lookup) return;
    lookup(field.lookup, field.lookupSort).then(setOptions, (e) =>
      setError(e instanceof ApiError ? e.detail : String(e)),
    );
  }, [field.lookup]);
  if (adding) {
    return (
      <div class="inline-add">
        <input
          id={`f-${field.name}`}
          value={newName}
          placeholder={`New ${field.label.toLowerCase()}`}
          onInput={(e) => setNewName((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              (e.currentTarget.nextElementSibling as HTMLButtonElement | null)?.click();
            }
          }}
        />
        <button
          type="button"
          class="btn btn-small btn-primary"
          disabled={!newName.trim()}
          onClick={async () => {
            try {
              const created = await api.create(field.lookup!, field.creatable!, { name: newName.trim() });
              setOptions((o) => [...(o ?? []), { value: created.id, label: newName.trim() }]);
              onChange(created.id);
              setAdding(false);
              setNewName('');
            } catch (e) {
              setError(e instanceof ApiError ? e.detail : String(e));
            }
          }}
        >
          Add
        </button>
        <button type="button" class="btn btn-small" onClick={() => setAdding(false)}>
          Cancel
        </button>
        {error && <span class="field-error">{error}</span>}
      </div>
    );
  }
  return (
    <div class="select-row">
      <select
        id={`f-${field.name}`}
        value={value}
        required={field.required}
        aria-invalid={invalid}
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          if (v === '__new__') setAdding(true);
          else onChange(v);
        }}
      >
        <option value="">{options === null && !error ? 'Loading…' : field.required ? 'Choose…' : '—'}</option>
        {(options ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {field.creatable && can('create', 'configuration') && (
          <option value="__new__">+ New {field.label.toLowerCase()}…</option>
        )}
      </select>
      {error && <span class="field-error">{error}</span>}
    </div>
  );
}

// A set of checkboxes over a small lookup (a group's members); the value is "1,4,9".
function MultiField({ field, value, onChange }: { field: FieldSpec; value: string; onChange: (v: string) => void }) {
  const [options, setOptions] = useState<Option[] | null>(field.options ?? null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (field.lookup)
      lookup(field.lookup).then(setOptions, (e) => setError(e instanceof ApiError ? e.detail : String(e)));
  }, [field.lookup]);
  const chosen = new Set(value ? value.split(',') : []);
  if (error) return <span class="field-error">{error}</span>;
  if (options === null) return <span class="muted">Loading…</span>;
  if (options.length === 0) return <span class="muted">None to choose from yet.</span>;
  return (
    <div class="multi" role="group" aria-label={field.label}>
      {options.map((o) => (
        <label key={o.value} class="check">
          <input
            type="checkbox"
            checked={chosen.has(o.value)}
            onChange={(e) => {
              const next = new Set(chosen);
              if ((e.target as HTMLInputElement).checked) next.add(o.value);
              else next.delete(o.value);
              onChange([...next].join(','));
            }}
          />
          {o.label}
        </label>
      ))}
    </div>
  );
}

export function FormFields({
  fields,
  values,
  setValue,
  fieldError,
  editing,
}: {
  fields: FieldSpec[];
  values: Values;
  setValue: (name: string, v: string | boolean) => void;
  fieldError?: ApiError | null;
  editing: boolean;
}) {
  return (
    <div class="form-grid">
      {fields
        .filter((f) => !(editing && f.createOnly))
        .map((f) => {
          const id = `f-${f.name}`;
          const invalid = fieldError?.attribute === f.name;
          const v = values[f.name];
          let input;
          switch (f.kind) {
            case 'textarea':
              input = (
                <textarea
                  id={id}
                  rows={4}
                  value={String(v)}
                  aria-invalid={invalid}
                  placeholder={f.placeholder}
                  onInput={(e) => setValue(f.name, (e.target as HTMLTextAreaElement).value)}
                />
              );
              break;
            case 'checkbox':
              input = (
                <label class="check">
                  <input
                    id={id}
                    type="checkbox"
                    checked={v === true}
                    onChange={(e) => setValue(f.name, (e.target as HTMLInputElement).checked)}
                  />
                  {f.help ?? f.label}
                </label>
              );
              break;
            case 'orgs':
              input = <OrgPicker id={id} label={f.label} value={String(v)} onChange={(x) => setValue(f.name, x)} />;
              break;
            case 'multi':
              input = <MultiField field={f} value={String(v)} onChange={(x) => setValue(f.name, x)} />;
              break;
            case 'select':
              input = (
                <SelectField field={f} value={String(v)} invalid={invalid} onChange={(x) => setValue(f.name, x)} />
              );
              break;
            default:
              input = (
                <input
                  id={id}
                  type={f.kind ?? 'text'}
                  value={String(v)}
                  required={f.required}
                  aria-invalid={invalid}
                  placeholder={f.placeholder}
                  autocomplete={f.autocomplete ?? (f.kind === 'password' ? 'new-password' : 'off')}
                  onInput={(e) => setValue(f.name, (e.target as HTMLInputElement).value)}
                />
              );
          }
          if (f.readOnly)
            input = (
              <fieldset class="plain-fieldset readonly-field" disabled>
                {input}
              </fieldset>
            );
          return (
            <div key={f.name} class={f.wide || f.kind === 'textarea' ? 'field field-wide' : 'field'}>
              {f.kind !== 'checkbox' && (
                <span class="label-row">
                  <label for={id}>{f.label}</label>
                  {f.required && (
                    <span class="req" title="Required" aria-hidden="true">
                      *
                    </span>
                  )}
                </span>
              )}
              {input}
              {invalid && <span class="field-error">{fieldError!.detail}</span>}
              {f.readOnly && !invalid && <span class="field-help">{f.readOnly}</span>}
              {f.help && f.kind !== 'checkbox' && !invalid && !f.readOnly && <span class="field-help">{f.help}</span>}
            </div>
          );
        })}
    </div>
  );
}

// A create or edit dialog. `submit` gets the attributes (kebab keys, empty fields left
// out on create and sent as null on edit) and performs the request.
export function FormDialog({
  title,
  fields,
  record,
  submitLabel,
  submit,
  onClose,
  onDone,
}: {
  title: string;
  fields: FieldSpec[];
  record?: Attributes;
  submitLabel?: string;
  submit: (attributes: Attributes) => Promise<unknown>;
  onClose: () => void;
  onDone?: (result: unknown) => void;
}) {
  const editing = record !== undefined;
  const [values, setValues] = useState<Values>(() => initialValues(fields, record));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = 'form-' + title.replace(/\W+/g, '-').toLowerCase();
  return (
    <Modal
      title={title}
      onClose={onClose}
      wide={fields.length > 6}
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} class="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : (submitLabel ?? (editing ? 'Save changes' : 'Create'))}
          </button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const result = await submit(toAttributes(fields, values, editing));
            onDone?.(result);
            onClose();
          } catch (err) {
            setError(err);
            setBusy(false);
          }
        }}
      >
        <ErrorBanner error={error} />
        <FormFields
          fields={fields}
          values={values}
          editing={editing}
          fieldError={error instanceof ApiError ? error : null}
          setValue={(name, v) => setValues((old) => ({ ...old, [name]: v }))}
        />
      </form>
    </Modal>
  );
}
