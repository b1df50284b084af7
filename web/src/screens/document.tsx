// A document in the rich-text editor: edit the title and body, save (Ctrl+S), publish.
// The server sanitises the HTML it stores; the editor sends what the browser produced.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Attributes } from '../api';
import { useAsync } from '../hooks';
import { can } from '../session';
import { Badge, ErrorBanner, PageHeader, SkeletonBlock, formatTime, toast } from '../ui/basics';

const TOOLS: { label: string; title: string; run: () => void }[] = [
  { label: 'B', title: 'Bold (Ctrl+B)', run: () => document.execCommand('bold') },
  { label: 'I', title: 'Italic (Ctrl+I)', run: () => document.execCommand('italic') },
  { label: 'U', title: 'Underline (Ctrl+U)', run: () => document.execCommand('underline') },
  { label: 'S', title: 'Strikethrough', run: () => document.execCommand('strikeThrough') },
  { label: 'H2', title: 'Heading', run: () => document.execCommand('formatBlock', false, 'h2') },
  { label: 'H3', title: 'Subheading', run: () => document.execCommand('formatBlock', false, 'h3') },
  { label: '¶', title: 'Paragraph', run: () => document.execCommand('formatBlock', false, 'p') },
  { label: '• List', title: 'Bulleted list', run: () => document.execCommand('insertUnorderedList') },
  { label: '1. List', title: 'Numbered list', run: () => document.execCommand('insertOrderedList') },
  { label: '❝', title: 'Quote', run: () => document.execCommand('formatBlock', false, 'blockquote') },
  { label: '</>', title: 'Code block', run: () => document.execCommand('formatBlock', false, 'pre') },
  { label: 'HR', title: 'Horizontal rule', run: () => document.execCommand('insertHorizontalRule') },
  {
    label: 'Link',
    title: 'Link (Ctrl+K)',
    run: () => {
      const url = window.prompt('Link address (https://…)');
      if (url && /^(https?:|mailto:)/i.test(url.trim())) document.execCommand('createLink', false, url.trim());
    },
  },
  { label: 'Clear', title: 'Clear formatting', run: () => document.execCommand('removeFormat') },
];

export function RichTextEditor({
  initial,
  onInput,
  onSave,
  readOnly,
}: {
  initial: string;
  onInput: (html: string) => void;
  onSave: () => void;
  readOnly?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.innerHTML = initial;
    document.execCommand('defaultParagraphSeparator', false, 'p');
  }, [initial]);
  return (
    <div class="editor">
      {!readOnly && (
        <div class="editor-toolbar" role="toolbar" aria-label="Formatting">
          {TOOLS.map((t) => (
            <button
              key={t.title}
              type="button"
              class="tool"
              title={t.title}
              aria-label={t.title}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                ref.current?.focus();
                t.run();
                onInput(ref.current?.innerHTML ?? '');
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
      )}
      <div
        ref={ref}
        class="editor-body prose"
        contentEditable={!readOnly}
        role="textbox"
        aria-multiline="true"
        aria-label="Document body"
        onInput={() => onInput(ref.current?.innerHTML ?? '')}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
            e.preventDefault();
            onSave();
          } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
            e.preventDefault();
            TOOLS.find((t) => t.label === 'Link')?.run();
          }
        }}
      />
    </div>
  );
}

export function DocumentScreen({ id }: { id: string }) {
  const doc = useAsync(() => api.one<Attributes>(`/documents/${id}`), [id]);
  const [name, setName] = useState('');
  const [html, setHtml] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const d = doc.data?.attributes;
  useEffect(() => {
    if (d) {
      setName(String(d.name ?? ''));
      setDirty(false);
    }
  }, [doc.data]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const save = async () => {
    if (!d) return;
    setSaving(true);
    setError(null);
    try {
      const attrs: Attributes = { name: name.trim() };
      if (html !== null) attrs.content = html;
      const saved = await api.update(`/documents/${id}`, 'documents', id, attrs);
      doc.data!.attributes = saved.attributes;
      setDirty(false);
      toast('Document saved');
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  const publish = async () => {
    try {
      if (dirty) await save();
      await api.action(`/documents/${id}/publish`);
      toast('Document published');
      doc.reload();
    } catch (e) {
      setError(e);
    }
  };
  const org = d ? String(d['organization-id']) : '';
  return (
    <div class="page page-narrow">
      <PageHeader
        crumbs={
          d
            ? [
                { label: 'Organizations', href: '/organizations' },
                { label: String(d['organization-name'] ?? 'Global'), href: `/organizations/${org}/documents` },
              ]
            : [{ label: 'Organizations', href: '/organizations' }]
        }
        title={d ? 'Document' : <span class="skeleton skeleton-title" />}
        subtitle={
          d && (
            <span class="meta-line">
              {d.published ? (
                <Badge tone="green">Published {formatTime(d['published-at'])}</Badge>
              ) : (
                <Badge>Draft</Badge>
              )}
              <span class="muted">Updated {formatTime(d['updated-at'])}</span>
              {dirty && <Badge tone="amber">Unsaved changes</Badge>}
            </span>
          )
        }
        actions={
          d &&
          can('update') && (
            <>
              <button type="button" class="btn" onClick={publish}>
                Publish
              </button>
              <button type="button" class="btn btn-primary" disabled={saving || !dirty} onClick={save}>
                {saving ? 'Saving…' : 'Save'}
              </button>
            </>
          )
        }
      />
      <ErrorBanner error={doc.error ?? error} onRetry={doc.error ? doc.reload : undefined} />
      {doc.loading && !d && <SkeletonBlock lines={8} />}
      {d && (
        <div class="card doc-card">
          <input
            class="doc-title"
            readOnly={!can('update')}
            aria-label="Document title"
            value={name}
            onInput={(e) => {
              setName((e.target as HTMLInputElement).value);
              setDirty(true);
            }}
            onKeyDown={(e) => {
              if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
                e.preventDefault();
                save();
              }
            }}
          />
          <RichTextEditor
            initial={String(doc.data?.attributes.content ?? '')}
            onInput={(h) => {
              setHtml(h);
              setDirty(true);
            }}
            onSave={save}
            readOnly={!can('update')}
          />
        </div>
      )}
    </div>
  );
}
