// Upload a JSONL or CSV file, then follow the import until it is done.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../api';
import { ProblemView } from '../components/ProblemView';
import { useAction } from '../components/useAction';
import { bytes, dateTime, num } from '../format';
import { t } from '../i18n';
import type { Import } from '../types';

const consentBases = ['', 'consent', 'contract', 'legitimate_interest', 'public_domain', 'licensed', 'synthetic'];

export function ImportPanel({ projectId, onFinished }: { projectId: string; onFinished: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState('');
  const [licence, setLicence] = useState('');
  const [consentBasis, setConsentBasis] = useState('');
  const [current, setCurrent] = useState<Import | null>(null);
  const [history, setHistory] = useState<Import[]>([]);
  const { busy, problem, run, fail } = useAction();
  const fileInput = useRef<HTMLInputElement>(null);
  const base = `/api/projects/${encodeURIComponent(projectId)}/imports`;

  const loadHistory = () => get<Import[]>(base).then((l) => setHistory(l ?? []), () => {});
  useEffect(() => {
    void loadHistory();
  }, [projectId]);

  // Poll a running import until it finishes.
  useEffect(() => {
    if (!current || current.status !== 'running') return;
    const timer = setTimeout(async () => {
      try {
        setCurrent(await get<Import>(`${base}/${encodeURIComponent(String(current.id))}`));
      } catch (e) {
        fail(e);
      }
    }, 500);
    return () => clearTimeout(timer);
  }, [current]);

  useEffect(() => {
    if (current && current.status !== 'running') {
      void loadHistory();
      onFinished();
    }
  }, [current?.id, current?.status]);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append('file', file, file.name);
    if (source.trim()) form.append('source', source.trim());
    if (licence.trim()) form.append('licence', licence.trim());
    if (consentBasis) form.append('consentBasis', consentBasis);
    await run(async () => {
      setCurrent(await post<Import>(base, form));
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
    });
  };

  return (
    <section class="card" aria-labelledby="import-title">
      <h2 id="import-title">{t('import.title')}</h2>
      <form class="import-form" onSubmit={onSubmit}>
        <div class="form-row">
          <label for="import-file">{t('import.file')}</label>
          <input
            id="import-file"
            ref={fileInput}
            type="file"
            accept=".jsonl,.csv,application/jsonl,text/csv"
            aria-describedby="import-file-hint"
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
          <p class="hint" id="import-file-hint">
            {t('import.fileHint')}
          </p>
        </div>
        <details>
          <summary>{t('import.defaults')}</summary>
          <div class="grid-3">
            <div class="form-row">
              <label for="import-source">{t('import.source')}</label>
              <input id="import-source" value={source} onInput={(e) => setSource((e.currentTarget as HTMLInputElement).value)} />
            </div>
            <div class="form-row">
              <label for="import-licence">{t('import.licence')}</label>
              <input id="import-licence" value={licence} placeholder="CC-BY-4.0" onInput={(e) => setLicence((e.currentTarget as HTMLInputElement).value)} />
            </div>
            <div class="form-row">
              <label for="import-consent">{t('import.consent')}</label>
              <select id="import-consent" value={consentBasis} onChange={(e) => setConsentBasis((e.currentTarget as HTMLSelectElement).value)}>
                {consentBases.map((c) => (
                  <option key={c} value={c}>
                    {c ? t(`consent.${c}`) : t('import.consentNone')}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </details>
        <div class="actions">
          <button type="submit" class="primary" disabled={!file || busy || current?.status === 'running'}>
            {t('import.upload')}
          </button>
        </div>
      </form>
      {problem && <ProblemView problem={problem} />}
      {current && <ImportStatus imp={current} />}
      {history.length > 0 && (
        <details class="import-history">
          <summary>{t('import.history', { n: history.length })}</summary>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('import.fileName')}</th>
                  <th scope="col">{t('import.status')}</th>
                  <th scope="col" class="num">{t('import.inserted')}</th>
                  <th scope="col" class="num">{t('import.duplicates')}</th>
                  <th scope="col">{t('import.started')}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id}>
                    <td>{h.fileName}</td>
                    <td>{t(`importStatus.${h.status}`)}</td>
                    <td class="num">{num(h.inserted)}</td>
                    <td class="num">{num(h.duplicates)}</td>
                    <td>{dateTime(h.startedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}

export function ImportStatus({ imp }: { imp: Import }) {
  const total = imp.totalBytes || 0;
  const done = imp.status === 'running' ? imp.bytesRead : total || imp.bytesRead;
  return (
    <div class={`import-status import-${imp.status}`} data-testid="import-status" aria-live="polite">
      <p>
        <strong>{imp.fileName}</strong>: {t(`importStatus.${imp.status}`)}
      </p>
      <label class="progress-label">
        <span class="visually-hidden">{t('import.progress')}</span>
        <progress max={total || 1} value={Math.min(done, total || 1)} />
        <span class="muted small">
          {bytes(imp.bytesRead)} / {bytes(total)}
        </span>
      </label>
      <p class="small">{t('import.counts', { lines: num(imp.linesRead), inserted: num(imp.inserted), duplicates: num(imp.duplicates) })}</p>
      {imp.errors.length > 0 && (
        <div class="table-wrap">
          <table class="errors-table" data-testid="import-errors">
            <caption>{t('import.errorsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">{t('import.line')}</th>
                <th scope="col">{t('import.field')}</th>
                <th scope="col">{t('import.message')}</th>
              </tr>
            </thead>
            <tbody>
              {imp.errors.map((er, i) => (
                <tr key={i}>
                  <td class="num">{er.line}</td>
                  <td>
                    <code>{er.field}</code>
                  </td>
                  <td>{er.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
