// The operator's view of the audit log: verified on opening (GET /api/admin/audit), with every problem named.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ProblemView } from '../components/ProblemView';
import { useAction } from '../components/useAction';
import { dateTime, num } from '../format';
import { t } from '../i18n';

interface AuditStatus {
  entries: number;
  integrated: number;
  checkpointSize: number | null;
  checkpointSignedAt: string | null;
  verifierKey: string;
  problems: string[];
}

export function AuditPanel() {
  const [status, setStatus] = useState<AuditStatus | null>(null);
  const [checking, setChecking] = useState(false);
  const { problem, fail } = useAction();

  function verify() {
    setChecking(true);
    get<AuditStatus>('/api/admin/audit')
      .then(setStatus, fail)
      .finally(() => setChecking(false));
  }

  useEffect(verify, []);

  return (
    <section aria-labelledby="audit-title" class="card">
      <h2 id="audit-title">{t('audit.title')}</h2>
      {problem && <ProblemView problem={problem} />}
      {status === null ? (
        <p class="muted">{checking ? t('audit.checking') : t('common.loading')}</p>
      ) : (
        <>
          <p role="status">
            <strong>{status.problems.length === 0 ? t('audit.ok') : t('audit.problems', { n: status.problems.length })}</strong>
          </p>
          <p>
            {t('audit.sizes', { entries: num(status.entries), integrated: num(status.integrated) })}{' '}
            {status.checkpointSize === null
              ? t('audit.noCheckpoint')
              : t('audit.checkpoint', { size: num(status.checkpointSize), at: dateTime(status.checkpointSignedAt) })}
          </p>
          {status.problems.length > 0 && (
            <ul>
              {status.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <p class="muted">
            {t('audit.verifierKey')} <code>{status.verifierKey}</code>
          </p>
        </>
      )}
      <button type="button" onClick={verify} disabled={checking}>
        {t('audit.verify')}
      </button>
    </section>
  );
}
