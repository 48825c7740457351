// Markdown from data (guidelines, markdown fields) is rendered by marked and always sanitised by
// DOMPurify before it reaches the DOM.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false, async: false });

let hooked = false;
function purifier() {
  if (!hooked) {
    // Links from data open outside the app and pass no referrer or opener.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

export function renderMarkdown(source: string): string {
  const html = marked.parse(source ?? '') as string;
  return purifier().sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'], FORBID_ATTR: ['style'] });
}

export function Markdown({ source, class: cls }: { source: string; class?: string }) {
  // The only place HTML from data is inserted, and it has been sanitised just above.
  return <div class={`markdown ${cls ?? ''}`} dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}
