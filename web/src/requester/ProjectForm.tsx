// Create or edit a project: details, pay with the resulting hourly rate, guidelines and template.
import { useEffect, useState } from 'preact/hooks';
import { get, post, put, type Problem } from '../api';
import { fieldErrors, ProblemView } from '../components/ProblemView';
import { TextField } from '../components/TextField';
import { useAction } from '../components/useAction';
import { hourly } from '../format';
import { t } from '../i18n';
import { navigate } from '../router';
import { aggregationMethods, type AggregationMethod, type Project, type ProjectInput } from '../types';
import { classificationPreset, pairwisePreset, presetJson } from './presets';

const formFields = ['name', 'description', 'guidelines', 'overlap', 'payPerTask', 'currency', 'estimatedSeconds', 'aggregation'];

/** Template errors: every path the form does not show beside an input, without a `template.` prefix. */
export function templateErrors(problem: Problem | null): [string, string[]][] {
  if (!problem?.errors) return [];
  return Object.entries(problem.errors)
    .filter(([k]) => !formFields.some((f) => f.toLowerCase() === k.toLowerCase()))
    .map(([k, v]) => [k.replace(/^template\.?/i, '') || 'template', v]);
}

export function hourlyRate(pay: number, seconds: number): number | null {
  return pay > 0 && seconds > 0 ? (pay * 3600) / seconds : null;
}

export default function ProjectForm({ projectId }: { projectId?: string }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [guidelines, setGuidelines] = useState('');
  const [overlap, setOverlap] = useState('3');
  const [pay, setPay] = useState('0.10');
  const [currency, setCurrency] = useState('USD');
  const [seconds, setSeconds] = useState('30');
  const [aggregation, setAggregation] = useState<AggregationMethod>('auto');
  const [template, setTemplate] = useState(presetJson(classificationPreset));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const { busy, problem, setProblem, run, fail } = useAction();

  useEffect(() => {
    if (!projectId) return;
    get<Project>(`/api/projects/${encodeURIComponent(projectId)}`).then(
      (p) => {
        setName(p.name);
        setDescription(p.description ?? '');
        setGuidelines(p.guidelines ?? '');
        setOverlap(String(p.overlap));
        setPay(String(p.payPerTask));
        setCurrency(p.currency);
        setSeconds(String(p.estimatedSeconds));
        setAggregation(p.aggregation && (aggregationMethods as readonly string[]).includes(p.aggregation) ? p.aggregation : 'auto');
        setTemplate(presetJson(p.template));
      },
      fail,
    );
  }, [projectId]);

  const rate = hourlyRate(Number(pay), Number(seconds));
  const errs = (f: string) => fieldErrors(problem, f, `input.${f}`);
  const tplErrors = templateErrors(problem);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(template);
      setJsonError(null);
    } catch (err) {
      setJsonError(t('form.badJson', { message: (err as Error).message }));
      document.getElementById('pf-template')?.focus();
      return;
    }
    const body: ProjectInput = {
      name: name.trim(),
      description,
      guidelines,
      template: parsed,
      overlap: Number(overlap),
      payPerTask: Number(pay),
      currency: currency.trim().toUpperCase(),
      estimatedSeconds: Number(seconds),
      aggregation,
    };
    await run(async () => {
      const saved = projectId
        ? await put<Project>(`/api/projects/${encodeURIComponent(projectId)}`, body)
        : await post<Project>('/api/projects', body);
      navigate(`/projects/${encodeURIComponent(String(saved.id))}`);
    });
  };

  return (
    <div>
      <h1>{projectId ? t('form.editTitle') : t('form.createTitle')}</h1>
      <form class="card project-form" onSubmit={onSubmit}>
        {problem && <ProblemView problem={{ ...problem, errors: undefined }} />}
        <TextField id="pf-name" label={t('form.name')} required value={name} onValue={setName} errors={errs('name')} />
        <div class="form-row">
          <label for="pf-description">{t('form.description')}</label>
          <textarea id="pf-description" rows={2} value={description} onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)} />
          <FieldError id="pf-description" messages={errs('description')} />
        </div>
        <div class="grid-3">
          <TextField id="pf-pay" label={t('form.pay')} type="number" inputMode="decimal" min="0.01" step="0.01" required value={pay} onValue={setPay} errors={errs('payPerTask')} />
          <TextField id="pf-currency" label={t('form.currency')} required maxLength={3} pattern="[A-Za-z]{3}" value={currency} onValue={setCurrency} hint={t('form.currencyHint')} errors={errs('currency')} />
          <TextField id="pf-seconds" label={t('form.seconds')} type="number" min="5" max="7200" step="1" required value={seconds} onValue={setSeconds} errors={errs('estimatedSeconds')} />
        </div>
        <p class="rate" aria-live="polite" data-testid="hourly-rate">
          {t('form.hourlyRate')} <strong>{rate === null ? '—' : hourly(rate, currency.trim().toUpperCase() || 'USD')}</strong>
        </p>
        <TextField id="pf-overlap" label={t('form.overlap')} type="number" min="1" max="50" step="1" required value={overlap} onValue={setOverlap} hint={t('form.overlapHint')} errors={errs('overlap')} />
        <div class="form-row">
          <label for="pf-aggregation">{t('form.aggregation')}</label>
          <select
            id="pf-aggregation"
            value={aggregation}
            onChange={(e) => setAggregation((e.currentTarget as HTMLSelectElement).value as AggregationMethod)}
            aria-describedby={errs('aggregation').length ? 'pf-aggregation-hint pf-aggregation-error' : 'pf-aggregation-hint'}
            aria-invalid={errs('aggregation').length ? 'true' : undefined}
          >
            {aggregationMethods.map((m) => (
              <option key={m} value={m}>
                {t(`aggregation.${m}`)}
              </option>
            ))}
          </select>
          <p class="hint" id="pf-aggregation-hint" data-testid="aggregation-hint">
            {t(`aggregationHint.${aggregation}`)} {t('form.aggregationHint')}
          </p>
          <FieldError id="pf-aggregation" messages={errs('aggregation')} />
        </div>
        <div class="form-row">
          <label for="pf-guidelines">{t('form.guidelines')}</label>
          <textarea id="pf-guidelines" rows={6} value={guidelines} onInput={(e) => setGuidelines((e.currentTarget as HTMLTextAreaElement).value)} aria-describedby="pf-guidelines-hint" />
          <p class="hint" id="pf-guidelines-hint">
            {t('form.guidelinesHint')}
          </p>
          <FieldError id="pf-guidelines" messages={errs('guidelines')} />
        </div>
        <div class="form-row">
          <label for="pf-template">{t('form.template')}</label>
          <div class="preset-buttons" role="group" aria-label={t('form.presets')}>
            <button type="button" class="secondary" onClick={() => setTemplate(presetJson(pairwisePreset))}>
              {t('form.presetPairwise')}
            </button>
            <button type="button" class="secondary" onClick={() => setTemplate(presetJson(classificationPreset))}>
              {t('form.presetClassification')}
            </button>
          </div>
          <textarea
            id="pf-template"
            class="code"
            rows={16}
            spellcheck={false}
            value={template}
            onInput={(e) => setTemplate((e.currentTarget as HTMLTextAreaElement).value)}
            aria-describedby="pf-template-errors"
            aria-invalid={jsonError || tplErrors.length ? 'true' : undefined}
          />
          <div id="pf-template-errors">
            {jsonError && <p class="error">{jsonError}</p>}
            {tplErrors.length > 0 && (
              <ul class="error path-errors" data-testid="template-errors">
                {tplErrors.map(([path, messages]) => (
                  <li key={path}>
                    <code>{path}</code> {messages.join(' ')}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {projectId ? t('form.save') : t('form.create')}
          </button>
        </div>
      </form>
    </div>
  );
}

function FieldError({ id, messages }: { id: string; messages: string[] }) {
  return messages.length ? (
    <p class="error" id={`${id}-error`}>
      {messages.join(' ')}
    </p>
  ) : null;
}
