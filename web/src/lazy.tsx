// Code splitting without preact/compat: load a page module on first render.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';

export function lazy<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [C, setC] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (C) return;
      load().then(
        (m) => {
          loaded = m.default;
          setC(() => m.default);
        },
        () => setFailed(true),
      );
    }, []);
    if (failed) return <p role="alert">{t('common.loadFailed')}</p>;
    if (!C) return <p class="muted" aria-live="polite">{t('common.loading')}</p>;
    return <C {...props} />;
  };
}
