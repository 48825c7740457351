import { afterEach, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/markdown';
import { Field, safeUrl } from '../src/task/fields';
import { mount } from './helpers';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function show(field: Parameters<typeof Field>[0]['field'], data: Record<string, unknown>) {
  const m = mount(<Field field={field} data={data} />);
  cleanup = m.unmount;
  return m.root;
}

describe('fields render untrusted data safely', () => {
  it('shows text as text, markup and all', () => {
    const root = show({ id: 'p', type: 'text', label: 'Prompt', source: 'prompt' }, { prompt: '<img src=x onerror=alert(1)>hello' });
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('.plain')?.textContent).toBe('<img src=x onerror=alert(1)>hello');
  });

  it('renders markdown through the sanitiser', () => {
    const html = renderMarkdown('# Title\n\n**bold** <script>alert(1)</script><img src="https://e.org/a.png" onerror="alert(1)"> [x](javascript:alert(1)) [ok](https://example.org)');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('onerror');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it('links and images only http(s) addresses', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,hi')).toBeNull();
    expect(safeUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    const root = show({ id: 'u', type: 'url', label: 'Link', source: 'u' }, { u: 'javascript:alert(1)' });
    expect(root.querySelector('a')).toBeNull();
    const img = show({ id: 'i', type: 'image', label: 'Photo', source: 'i' }, { i: 'https://example.org/cat.jpg' });
    expect(img.querySelector('img')?.getAttribute('src')).toBe('https://example.org/cat.jpg');
  });

  it('shows a chat conversation and responses side by side', () => {
    const chat = show({ id: 'c', type: 'chat', label: 'Chat', source: 'c' }, { c: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello <b>there</b>' }] });
    expect([...chat.querySelectorAll('.chat-msg')].map((m) => m.textContent)).toEqual(['UserHi', 'AssistantHello <b>there</b>']);
    cleanup?.();
    const sbs = show({ id: 's', type: 'side_by_side', label: 'Responses', sources: ['a', 'b'], labels: ['Response A', 'Response B'] }, { a: 'one', b: 'two' });
    expect([...sbs.querySelectorAll('.side')].map((m) => m.textContent)).toEqual(['Response Aone', 'Response Btwo']);
  });
});
