// Who may work on a project: countries (allow or deny), languages, expertise, and a daily cap on
// sensitive items per tasker lower than the operator's. A change applies to the next tasks handed out.
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../api';
import { fieldErrors, ProblemView } from '../components/ProblemView';
import { TextField } from '../components/TextField';
import { useAction } from '../components/useAction';
import { t } from '../i18n';
import type { ProjectAudience } from '../types';

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function AudiencePanel({ projectId }: { projectId: string }) {
  const url = `/api/projects/${encodeURIComponent(projectId)}/audience`;
  const [audience, setAudience] = useState<ProjectAudience | null>(null);
  const [mode, setMode] = useState<ProjectAudience['countryMode']>('anyone');
  const [countries, setCountries] = useState('');
  const [languages, setLanguages] = useState('');
  const [expertise, setExpertise] = useState('');
  const [cap, setCap] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, problem, run, fail } = useAction();

  const show = (a: ProjectAudience) => {
    setAudience(a);
    setMode(a.countryMode);
    setCountries(a.countries.join(', '));
    setLanguages(a.languages.join(', '));
    setExpertise(a.expertise.join(', '));
    setCap(a.dailyExposureCap === null ? '' : String(a.dailyExposureCap));
  };
  useEffect(() => void get<ProjectAudience>(url).then(show, fail), [projectId]);

  const save = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    void run(async () => {
      show(
        await put<ProjectAudience>(url, {
          countryMode: mode,
          countries: mode === 'anyone' ? [] : list(countries),
          languages: list(languages),
          expertise: list(expertise),
          dailyExposureCap: cap.trim() === '' ? null : Number(cap),
        }),
      );
      setSaved(true);
    });
  };

  const errs = (prefix: string) =>
    Object.keys(problem?.errors ?? {})
      .filter((k) => k === prefix || k.startsWith(prefix + '['))
      .flatMap((k) => fieldErrors(problem, k));
  return (
    <section class="card" aria-labelledby="audience-title" data-testid="audience-panel">
      <h2 id="audience-title">{t('audience.title')}</h2>
      <p class="muted">{t('audience.intro')}</p>
      {!audience ? (
        problem ? <ProblemView problem={problem} /> : <p class="muted">{t('common.loading')}</p>
      ) : (
        <form onSubmit={save}>
          {problem && <ProblemView problem={problem} skip={Object.keys(problem.errors ?? {})} />}
          <div class="form-row">
            <label for="au-mode">{t('audience.countryMode')}</label>
            <select id="au-mode" value={mode} onChange={(e) => setMode((e.currentTarget as HTMLSelectElement).value as ProjectAudience['countryMode'])}>
              <option value="anyone">{t('audience.anyone')}</option>
              <option value="allow">{t('audience.allow')}</option>
              <option value="deny">{t('audience.deny')}</option>
            </select>
            {!!errs('countryMode').length && <p class="error">{errs('countryMode').join(' ')}</p>}
          </div>
          {mode !== 'anyone' && (
            <TextField id="au-countries" label={t('audience.countries')} value={countries} onValue={setCountries} hint={t('audience.countriesHint')} errors={errs('countries')} />
          )}
          <TextField id="au-languages" label={t('field.languages')} value={languages} onValue={setLanguages} hint={t('audience.languagesHint')} errors={errs('languages')} />
          <TextField id="au-expertise" label={t('field.expertise')} value={expertise} onValue={setExpertise} hint={t('audience.expertiseHint')} errors={errs('expertise')} />
          <TextField
            id="au-cap"
            label={t('audience.cap')}
            type="number"
            min="0"
            max={String(audience.operatorDailyExposureCap)}
            step="1"
            value={cap}
            onValue={setCap}
            hint={t('audience.capHint', { n: audience.operatorDailyExposureCap })}
            errors={errs('dailyExposureCap')}
          />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('audience.save')}
            </button>
            {saved && <span role="status">{t('audience.saved')}</span>}
          </div>
        </form>
      )}
    </section>
  );
}
