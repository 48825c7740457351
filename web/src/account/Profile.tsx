// The tasker's profile: where they work from, what they speak and know, and which sensitive
// content they accept to be given (none until they choose). Projects use it to decide who may work on them.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, put } from '../api';
import { fieldErrors, ProblemView } from '../components/ProblemView';
import { TextField } from '../components/TextField';
import { useAction } from '../components/useAction';
import { locale, t } from '../i18n';
import { useSession } from '../session';
import type { Me, ProfileView } from '../types';

interface ExpertiseRow {
  domain: string;
  evidence: string;
}

function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([locale()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export default function Profile() {
  const { setMe } = useSession();
  const [profile, setProfile] = useState<ProfileView | null>(null);
  const [country, setCountry] = useState('');
  const [languages, setLanguages] = useState('');
  const [expertise, setExpertise] = useState<ExpertiseRow[]>([]);
  const [optIns, setOptIns] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const { busy, problem, run, fail } = useAction();

  const show = (p: ProfileView) => {
    setProfile(p);
    setCountry(p.country ?? '');
    setLanguages(p.languages.join(', '));
    setExpertise(p.expertise.map((e) => ({ domain: e.domain, evidence: e.evidence ?? '' })));
    setOptIns(p.sensitivityOptIns);
  };
  useEffect(() => void get<ProfileView>('/api/me/profile').then(show, fail), []);

  const save = (e?: Event) => {
    e?.preventDefault();
    setSaved(false);
    void run(async () => {
      const me = await put<Me>('/api/me/profile', {
        country: country || undefined,
        languages: list(languages),
        expertise: expertise
          .filter((r) => r.domain.trim())
          .map((r) => ({ domain: r.domain.trim(), evidence: r.evidence.trim() || null })),
        sensitivityOptIns: optIns,
      });
      setMe(me);
      show(await get<ProfileView>('/api/me/profile'));
      setSaved(true);
    });
  };

  // Ctrl+Enter (or ⌘+Enter) saves from anywhere on the page, as on the task page. The listener
  // calls the save of the latest render: effects run after paint, so a listener rebound in an
  // effect could still hold the values from before a key typed just earlier.
  const latestSave = useRef(save);
  latestSave.current = save;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) latestSave.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!profile) return problem ? <ProblemView problem={problem} /> : <p class="muted">{t('common.loading')}</p>;

  const errs = (...paths: string[]) => fieldErrors(problem, ...paths);
  const pathsLike = (prefix: string) => Object.keys(problem?.errors ?? {}).filter((k) => k.startsWith(prefix));
  const setRow = (i: number, row: Partial<ExpertiseRow>) => setExpertise(expertise.map((r, n) => (n === i ? { ...r, ...row } : r)));
  const toggle = (category: string, on: boolean) =>
    setOptIns(on ? [...optIns, category].sort() : optIns.filter((c) => c !== category));

  return (
    <div>
      <h1>{t('profile.title')}</h1>
      <p class="muted">{t('profile.intro')}</p>
      <form class="card" onSubmit={save} aria-describedby="profile-keys">
        {problem && (
          <ProblemView problem={problem} skip={['country', ...pathsLike('languages'), ...pathsLike('expertise'), ...pathsLike('sensitivityOptIns')]} />
        )}
        <div class="form-row">
          <label for="pf-country">{t('field.country')}</label>
          <select
            id="pf-country"
            value={country}
            onChange={(e) => setCountry((e.currentTarget as HTMLSelectElement).value)}
            aria-invalid={errs('country').length ? 'true' : undefined}
            aria-describedby={errs('country').length ? 'pf-country-error' : undefined}
          >
            <option value="">{t('profile.noCountry')}</option>
            {profile.countries
              .map((c) => ({ code: c, name: countryName(c) }))
              .sort((a, b) => a.name.localeCompare(b.name, locale()))
              .map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name} ({c.code})
                </option>
              ))}
          </select>
          {!!errs('country').length && (
            <p class="error" id="pf-country-error">
              {errs('country').join(' ')}
            </p>
          )}
        </div>
        <TextField
          id="pf-languages"
          label={t('field.languages')}
          value={languages}
          onValue={setLanguages}
          hint={t('profile.languagesHint')}
          errors={errs('languages', ...pathsLike('languages['))}
        />

        <fieldset class="profile-group">
          <legend>{t('field.expertise')}</legend>
          {expertise.length === 0 && <p class="muted">{t('profile.noExpertise')}</p>}
          {expertise.map((row, i) => (
            <div class="expertise-row" key={i}>
              <TextField
                id={`pf-domain-${i}`}
                label={t('profile.domain')}
                value={row.domain}
                onValue={(v) => setRow(i, { domain: v })}
                maxLength={40}
                errors={errs(`expertise[${i}]`, `expertise[${i}].domain`)}
              />
              <TextField
                id={`pf-evidence-${i}`}
                label={t('profile.evidence')}
                value={row.evidence}
                onValue={(v) => setRow(i, { evidence: v })}
                maxLength={500}
                hint={t('profile.evidenceHint')}
                errors={errs(`expertise[${i}].evidence`)}
              />
              <button type="button" class="link" onClick={() => setExpertise(expertise.filter((_, n) => n !== i))}>
                {t('profile.removeExpertise', { domain: row.domain || t('profile.domain') })}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setExpertise([...expertise, { domain: '', evidence: '' }])}>
            {t('profile.addExpertise')}
          </button>
        </fieldset>

        <fieldset class="profile-group">
          <legend>{t('profile.sensitive')}</legend>
          <p class="hint">{t('profile.sensitiveIntro')}</p>
          {profile.categories.length === 0 ? (
            <p class="muted">{t('profile.noCategories')}</p>
          ) : (
            profile.categories.map((c) => (
              <div class="checkbox-row" key={c}>
                <input
                  type="checkbox"
                  id={`pf-optin-${c}`}
                  checked={optIns.includes(c)}
                  onChange={(e) => toggle(c, (e.currentTarget as HTMLInputElement).checked)}
                />
                <label for={`pf-optin-${c}`}>{c.replace(/_/g, ' ')}</label>
              </div>
            ))
          )}
          {!!errs(...pathsLike('sensitivityOptIns')).length && <p class="error">{errs(...pathsLike('sensitivityOptIns')).join(' ')}</p>}
        </fieldset>

        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('profile.saving') : t('profile.save')}
        </button>
        <p class="hint" id="profile-keys">
          {t('profile.keys')}
        </p>
        {saved && (
          <p class="saved" role="status">
            {t('profile.saved')}
          </p>
        )}
      </form>
    </div>
  );
}
