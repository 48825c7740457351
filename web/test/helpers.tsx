import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';

export function mount(node: ComponentChild): { root: HTMLElement; unmount: () => void } {
  const root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(node, root));
  return {
    root,
    unmount: () => {
      act(() => render(null, root));
      root.remove();
    },
  };
}

export function press(key: string, init: KeyboardEventInit = {}, target: EventTarget = document.activeElement ?? document.body) {
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  });
}

export function click(el: Element | null) {
  if (!el) throw new Error('no element to click');
  act(() => (el as HTMLElement).click());
}

export function typeInto(el: Element | null, value: string) {
  if (!el) throw new Error('no element to type into');
  act(() => {
    (el as HTMLTextAreaElement).value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export const flush = () => act(async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
});
