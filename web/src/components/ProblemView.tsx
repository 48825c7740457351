// Shows an RFC 9457 problem: its title, detail and each field's messages.
import type { Problem } from '../api';
import { t } from '../i18n';

export function ProblemView({ problem, onDismiss, skip }: { problem: Problem; onDismiss?: () => void; skip?: string[] }) {
  const fieldErrors = Object.entries(problem.errors ?? {}).filter(([path]) => !skip?.some((s) => s.toLowerCase() === path.toLowerCase()));
  return (
    <div class="problem" role="alert">
      <p class="problem-title">
        <strong>{problem.title}</strong>
        {problem.status > 0 && <span class="muted"> ({problem.status})</span>}
      </p>
      {problem.detail && <p>{problem.detail}</p>}
      {fieldErrors.length > 0 && (
        <ul class="problem-errors">
          {fieldErrors.map(([path, messages]) => (
            <li key={path}>
              {path && <code>{path}</code>} {messages.join(' ')}
            </li>
          ))}
        </ul>
      )}
      {onDismiss && (
        <button type="button" class="link" onClick={onDismiss}>
          {t('common.dismiss')}
        </button>
      )}
    </div>
  );
}

/** The messages a problem holds for one form field (path compared without case). */
export function fieldErrors(problem: Problem | null, ...paths: string[]): string[] {
  if (!problem?.errors) return [];
  const want = paths.map((p) => p.toLowerCase());
  return Object.entries(problem.errors)
    .filter(([k]) => want.includes(k.toLowerCase()))
    .flatMap(([, v]) => v);
}
