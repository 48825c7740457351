// Template fields: the item's data shown to the tasker. Everything from the item is untrusted:
// text is rendered as text, markdown only through DOMPurify, links and images only for http(s).
import { t } from '../i18n';
import { Markdown } from '../markdown';
import type { TemplateField } from '../types';

export function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const u = new URL(value.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

interface ChatMessage {
  role: string;
  content: string;
}

function asChat(value: unknown): ChatMessage[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((m) => ({ role: asText((m as ChatMessage)?.role ?? ''), content: asText((m as ChatMessage)?.content ?? '') }));
}

function Chat({ messages }: { messages: ChatMessage[] }) {
  return (
    <ol class="chat">
      {messages.map((m, i) => (
        <li key={i} class={`chat-msg chat-${m.role === 'user' ? 'user' : m.role === 'system' ? 'system' : 'assistant'}`}>
          <span class="chat-role">{roleLabel(m.role)}</span>
          <div class="plain">{m.content}</div>
        </li>
      ))}
    </ol>
  );
}

function roleLabel(role: string): string {
  if (role === 'user') return t('field.roleUser');
  if (role === 'assistant') return t('field.roleAssistant');
  if (role === 'system') return t('field.roleSystem');
  return role;
}

function Value({ type, value }: { type: TemplateField['type']; value: unknown }) {
  if (value === undefined || value === null || value === '') return <p class="muted">{t('field.empty')}</p>;
  switch (type) {
    case 'markdown':
      return <Markdown source={asText(value)} />;
    case 'image': {
      const src = safeUrl(value);
      return src ? <img class="field-image" src={src} alt={t('field.imageAlt')} loading="lazy" referrerpolicy="no-referrer" /> : <p class="muted">{t('field.badUrl')}</p>;
    }
    case 'url': {
      const href = safeUrl(value);
      return href ? (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow" class="field-url">
          {href}
        </a>
      ) : (
        <p class="plain">{asText(value)}</p>
      );
    }
    case 'chat': {
      const chat = asChat(value);
      return chat ? <Chat messages={chat} /> : <div class="plain">{asText(value)}</div>;
    }
    default: {
      const chat = Array.isArray(value) ? asChat(value) : null;
      return chat ? <Chat messages={chat} /> : <div class="plain">{asText(value)}</div>;
    }
  }
}

export function Field({ field, data }: { field: TemplateField; data: Record<string, unknown> }) {
  if (field.type === 'side_by_side') {
    const sources = field.sources ?? [];
    return (
      <section class="field" aria-label={field.label ?? field.id}>
        {field.label && <h2 class="field-label">{field.label}</h2>}
        <div class="side-by-side" style={{ '--cols': String(Math.max(1, sources.length)) }}>
          {sources.map((s, i) => (
            <div class="side" key={s}>
              <h3 class="side-label">{field.labels?.[i] ?? t('field.response', { n: String.fromCharCode(65 + i) })}</h3>
              <Value type="text" value={data[s]} />
            </div>
          ))}
        </div>
      </section>
    );
  }
  return (
    <section class="field" aria-label={field.label ?? field.id}>
      {field.label && <h2 class="field-label">{field.label}</h2>}
      <Value type={field.type} value={field.source ? data[field.source] : undefined} />
    </section>
  );
}
