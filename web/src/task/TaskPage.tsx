// The tasker's task page: the current task, one prefetched next task, keyboard answering,
// autosaved drafts and submissions that survive a dropped connection.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, get, post, type Problem } from '../api';
import { ProblemView } from '../components/ProblemView';
import { asProblem } from '../components/useAction';
import { money } from '../format';
import { t } from '../i18n';
import { Markdown } from '../markdown';
import { Link } from '../router';
import type { Id, NextState, Task, WorkProjectDetail } from '../types';
import { ActiveTimer } from './activeTime';
import { applyNumber, applyPairwise, buildAnswer, validateAll, type DraftValue, type DraftValues, type ValidationError } from './answers';
import { draftFor, listDrafts, removeDraft, saveDraft, type Draft } from './draft';
import { Field } from './fields';
import { interpretKey, isControl, isTextBox, numberTarget } from './keyboard';
import { Submitter, type SubmitState } from './submitter';
import { QuestionWidget } from './widgets';

type Phase = 'loading' | 'working' | 'waiting' | 'empty';

/** How often, and after how long, to ask again when the server answers 503 to "next task". */
const NEXT_RETRIES = 3;

export default function TaskPage({ projectId, retryDelayMs = 1000 }: { projectId: Id; retryDelayMs?: number }) {
  const [project, setProject] = useState<WorkProjectDetail | null>(null);
  const [current, setCurrent] = useState<Task | null>(null);
  const [values, setValues] = useState<DraftValues>({});
  const [errors, setErrors] = useState<Record<string, ValidationError>>({});
  const [phase, setPhase] = useState<Phase>('loading');
  const [saveState, setSaveState] = useState<SubmitState | 'idle'>('idle');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(0);
  const [earned, setEarned] = useState<Record<string, number>>({});
  const [sticky, setSticky] = useState<string | null>(null);
  const [focusedQ, setFocusedQ] = useState<string | null>(null);

  // Refs mirror what the keyboard handler and async callbacks need to read fresh.
  const projectRef = useRef<WorkProjectDetail | null>(null);
  const currentRef = useRef<Task | null>(null);
  const valuesRef = useRef<DraftValues>({});
  const stickyRef = useRef<string | null>(null);
  const draftRef = useRef<Draft | null>(null);
  const nextRef = useRef<Task | null>(null);
  const noMore = useRef(false);
  const filling = useRef(false);
  const refill = useRef(false);
  const mainRef = useRef<HTMLElement>(null);

  const timer = useMemo(() => new ActiveTimer(), []);
  const submitter = useMemo(() => new Submitter({ onState: (_id, state) => setSaveState(state) }), []);

  function show(task: Task | null) {
    currentRef.current = task;
    setCurrent(task);
    setErrors({});
    stickyRef.current = null;
    setSticky(null);
    if (!task) {
      draftRef.current = null;
      return;
    }
    const d = draftFor(task.assignmentId, projectId);
    draftRef.current = d;
    valuesRef.current = d.values ?? {};
    setValues(valuesRef.current);
    timer.reset(d.activeSeconds ?? 0);
    setPhase('working');
    window.scrollTo?.(0, 0);
    requestAnimationFrame(() => mainRef.current?.focus({ preventScroll: true }));
  }

  /** Leases the next task: the task, null when none is left, or 'busy' at the lease cap. */
  async function fetchNext(): Promise<Task | null | 'busy'> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await post<Task | null>(`/api/work/projects/${encodeURIComponent(String(projectId))}/tasks/next`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) return 'busy';
        // 503 means "ask again in a moment": tasks are being taken fast, or the database is
        // coming back. Only after a few tries does the tasker need to hear about it.
        if (e instanceof ApiError && e.status === 503 && attempt <= NEXT_RETRIES) {
          await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
          continue;
        }
        throw e;
      }
    }
  }

  /** The task a submission's reply brought: shown, or kept as the prefetched one. A retried
   * submission's reply can name a task this page already holds; that is not a new one. */
  function take(next: Task | null, state: NextState) {
    if (!next) {
      // Out of the project's audience now: the next ask answers 403 with the rule, which the page shows.
      if (state === 'none-left') noMore.current = true;
      return;
    }
    const known = [currentRef.current, nextRef.current].some((t) => t?.assignmentId === next.assignmentId);
    if (known) return;
    if (!currentRef.current) {
      // The prefetched task is the older lease: it goes first.
      const older = nextRef.current;
      nextRef.current = older ? next : null;
      show(older ?? next);
    } else if (!nextRef.current) nextRef.current = next;
  }

  /** Leases held on the server that this page does not show yet (another tab, a reload). */
  async function adoptLeases(): Promise<void> {
    const leases = await get<Task[]>(`/api/work/projects/${encodeURIComponent(String(projectId))}/tasks`);
    const submitted = new Set(listDrafts(projectId).filter((d) => d.submitted).map((d) => d.assignmentId));
    for (const l of leases ?? []) {
      if (submitted.has(l.assignmentId) || l.assignmentId === currentRef.current?.assignmentId || l.assignmentId === nextRef.current?.assignmentId) continue;
      if (!currentRef.current) show(l);
      else if (!nextRef.current) nextRef.current = l;
    }
  }

  /** Keeps one task on screen and one prefetched, within the server's cap of two live leases. */
  async function fill(): Promise<void> {
    if (filling.current) {
      refill.current = true;
      return;
    }
    filling.current = true;
    try {
      do {
        refill.current = false;
        if (!currentRef.current && nextRef.current) {
          const n = nextRef.current;
          nextRef.current = null;
          show(n);
        }
        if (!currentRef.current && !noMore.current) {
          const r = await fetchNext();
          if (r === 'busy') {
            if (submitter.pending() === 0) await adoptLeases();
          } else if (r) show(r);
          else noMore.current = true;
        }
        if (!currentRef.current) setPhase(submitter.pending() > 0 || !noMore.current ? 'waiting' : 'empty');
        // Prefetch only once earlier submissions are acknowledged: their leases still count.
        if (currentRef.current && !nextRef.current && !noMore.current && submitter.pending() === 0) {
          const r = await fetchNext();
          if (r === null) noMore.current = true;
          else if (r !== 'busy') nextRef.current = r;
        }
      } while (refill.current);
    } catch (e) {
      setProblem(asProblem(e));
      if (!currentRef.current) setPhase('waiting');
    } finally {
      filling.current = false;
    }
  }

  function deliver(d: Draft, task: Task | null) {
    if (!d.submitted) return;
    submitter.submit({ assignmentId: d.assignmentId, idempotencyKey: d.idempotencyKey, ...d.submitted }).then((outcome) => {
      if (outcome.ok) {
        removeDraft(d.assignmentId);
        if (task) {
          setDone((n) => n + 1);
          setEarned((m) => ({ ...m, [task.currency]: (m[task.currency] ?? 0) + task.payRate }));
        }
        take(outcome.next, outcome.nextState);
      } else {
        setProblem(outcome.problem);
        if (outcome.problem.status === 400 && task) {
          // The server refused the answer's shape: give the task back to the tasker to correct.
          d.submitted = undefined;
          saveDraft(d);
          if (currentRef.current) nextRef.current = currentRef.current;
          show(task);
        } else {
          removeDraft(d.assignmentId);
        }
      }
      void fill();
    });
  }

  function update(questionId: string, v: DraftValue) {
    valuesRef.current = { ...valuesRef.current, [questionId]: v };
    setValues(valuesRef.current);
    setErrors((errs) => {
      if (!errs[questionId]) return errs;
      const { [questionId]: _, ...rest } = errs;
      return rest;
    });
    const d = draftRef.current;
    if (d) {
      d.values = valuesRef.current;
      d.activeSeconds = timer.seconds();
      saveDraft(d);
    }
  }

  function submit() {
    const task = currentRef.current;
    const proj = projectRef.current;
    const d = draftRef.current;
    if (!task || !proj || !d) return;
    const errs = validateAll(proj.template, valuesRef.current);
    if (Object.keys(errs).length > 0) {
      setErrors(errs);
      const first = proj.template.questions.find((q) => errs[q.id]);
      document.querySelector<HTMLElement>(`[data-question="${first?.id}"] input, [data-question="${first?.id}"] textarea`)?.focus();
      return;
    }
    setProblem(null);
    d.values = valuesRef.current;
    d.submitted = { answer: buildAnswer(proj.template, valuesRef.current), activeSeconds: timer.seconds() };
    saveDraft(d);
    show(null);
    setPhase('waiting');
    deliver(d, task);
    void fill();
  }

  async function skip() {
    const task = currentRef.current;
    if (!task) return;
    show(null);
    setPhase('waiting');
    try {
      await post(`/api/work/tasks/${encodeURIComponent(String(task.assignmentId))}/skip`);
      removeDraft(task.assignmentId);
      setProblem(null);
    } catch (e) {
      setProblem(asProblem(e));
      if (!(e instanceof ApiError)) {
        // Offline: keep the task rather than lose track of its lease.
        if (currentRef.current) nextRef.current = currentRef.current;
        show(task);
        return;
      }
    }
    void fill();
  }

  function checkAgain() {
    noMore.current = false;
    setProblem(null);
    setPhase('waiting');
    void fill();
  }

  // Load the project, resend submissions a reload interrupted, resume live leases, then fill.
  useEffect(() => {
    let stopped = false;
    (async () => {
      try {
        const proj = await get<WorkProjectDetail>(`/api/work/projects/${encodeURIComponent(String(projectId))}`);
        if (stopped) return;
        projectRef.current = proj;
        setProject(proj);
        const leases = (await get<Task[]>(`/api/work/projects/${encodeURIComponent(String(projectId))}/tasks`)) ?? [];
        const pending = listDrafts(projectId).filter((d) => d.submitted);
        for (const d of pending) deliver(d, leases.find((l) => l.assignmentId === d.assignmentId) ?? null);
        const open = leases.filter((l) => !pending.some((d) => d.assignmentId === l.assignmentId));
        if (open[0]) show(open[0]);
        if (open[1]) nextRef.current = open[1];
        await fill();
      } catch (e) {
        setProblem(asProblem(e));
        setPhase('empty');
      }
    })();
    return () => {
      stopped = true;
    };
  }, [projectId]);

  // Active time, retry when back online, and a warning before leaving with unsaved work.
  useEffect(() => {
    const detach = timer.attach(window);
    const onOnline = () => submitter.retryNow();
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (submitter.pending() > 0) e.preventDefault();
    };
    const saveTime = setInterval(() => {
      const d = draftRef.current;
      if (d && !d.submitted) {
        d.activeSeconds = timer.seconds();
        saveDraft(d);
      }
    }, 10_000);
    window.addEventListener('online', onOnline);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      detach();
      clearInterval(saveTime);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);

  // Keyboard shortcuts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const proj = projectRef.current;
      if (!proj || !currentRef.current) return;
      const active = document.activeElement;
      const action = interpretKey(e, {
        questions: proj.template.questions,
        values: valuesRef.current,
        focusedQuestionId: active?.closest('[data-question]')?.getAttribute('data-question') ?? null,
        stickyQuestionId: stickyRef.current,
        inTextBox: isTextBox(active),
        onControl: isControl(active),
      });
      if (!action) return;
      e.preventDefault();
      if (action.type === 'submit') submit();
      else if (action.type === 'skip') void skip();
      else {
        const q = proj.template.questions.find((x) => x.id === action.questionId)!;
        const v = valuesRef.current[q.id];
        if (action.type === 'number') {
          update(q.id, applyNumber(q, v, action.n));
          stickyRef.current = q.id;
          setSticky(q.id);
        } else update(q.id, applyPairwise(v, action.choice));
      }
    };
    const onFocusIn = () => setFocusedQ(document.activeElement?.closest('[data-question]')?.getAttribute('data-question') ?? null);
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('focusin', onFocusIn);
    };
  }, []);

  const target = project
    ? numberTarget({ questions: project.template.questions, values, focusedQuestionId: focusedQ, stickyQuestionId: sticky, inTextBox: false, onControl: false })
    : null;
  const earnedText = Object.entries(earned)
    .map(([c, a]) => money(a, c))
    .join(' + ');
  const hasPairwise = !!project?.template.questions.some((q) => q.type === 'pairwise');
  const hasStrength = !!project?.template.questions.some((q) => q.type === 'pairwise' && q.strength);
  const hasChoice = !!project?.template.questions.some((q) => q.type !== 'free_text' && q.type !== 'pairwise');

  return (
    <div class="task-page">
      <div class="task-bar">
        <div class="task-title">
          <Link href="/work" class="back">
            {t('task.back')}
          </Link>
          <h1>{project?.name ?? t('common.loading')}</h1>
        </div>
        <dl class="task-stats">
          {current && (
            <div>
              <dt>{t('task.payThisTask')}</dt>
              <dd data-testid="task-pay">{money(current.payRate, current.currency)}</dd>
            </div>
          )}
          <div>
            <dt>{t('task.doneThisSession')}</dt>
            <dd data-testid="session-done">
              {done}
              {earnedText && <span class="muted"> · {earnedText}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('task.saveState')}</dt>
            <dd>
              <span class={`save-state save-${saveState}`} role="status" data-testid="save-state">
                {t(`save.${saveState}`)}
              </span>
            </dd>
          </div>
        </dl>
      </div>

      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}

      {phase === 'loading' && <p class="muted">{t('common.loading')}</p>}
      {phase === 'waiting' && !current && <p class="muted" aria-live="polite">{t('task.loadingNext')}</p>}
      {phase === 'empty' && !current && (
        <section class="empty card" aria-labelledby="empty-title">
          <h2 id="empty-title">{t('task.emptyTitle')}</h2>
          <p>{t('task.emptyBody', { n: done })}</p>
          <div class="actions">
            <button type="button" onClick={checkAgain}>
              {t('task.checkAgain')}
            </button>
            <Link href="/work" class="button secondary">
              {t('task.backToProjects')}
            </Link>
          </div>
        </section>
      )}

      {project && current && (
        <div class="task-layout">
          <section class="task-main" ref={mainRef} tabIndex={-1} aria-label={t('task.taskRegion')} data-assignment={current.assignmentId} data-item={String(current.itemId)}>
            <div class="fields">
              {project.template.fields.map((f) => (
                <Field key={f.id} field={f} data={current.data ?? {}} />
              ))}
            </div>
            <div class="questions">
              {project.template.questions.map((q) => (
                <QuestionWidget key={q.id} question={q} value={values[q.id]} onChange={(v) => update(q.id, v)} error={errors[q.id]} keyTarget={target?.id === q.id} />
              ))}
            </div>
            <div class="actions task-actions">
              <button type="button" class="primary" onClick={submit}>
                {t('task.submit')} <kbd aria-hidden="true">Enter</kbd>
              </button>
              <button type="button" class="secondary" onClick={() => void skip()}>
                {t('task.skip')} <kbd aria-hidden="true">S</kbd>
              </button>
            </div>
          </section>
          <Guidelines source={project.guidelines} />
        </div>
      )}

      <section class="shortcuts" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title" class="visually-hidden">
          {t('task.shortcuts')}
        </h2>
        <ul>
          {hasChoice && (
            <li>
              <kbd>1</kbd>–<kbd>9</kbd> {t('task.keyNumbers')}
            </li>
          )}
          {hasPairwise && (
            <li>
              <kbd>A</kbd> <kbd>B</kbd> <kbd>T</kbd> {t('task.keyPairwise')}
            </li>
          )}
          {hasStrength && (
            <li>
              <kbd>1</kbd>–<kbd>3</kbd> {t('task.keyStrength')}
            </li>
          )}
          <li>
            <kbd>Enter</kbd> {t('task.keySubmit')}
          </li>
          <li>
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd> {t('task.keySubmitText')}
          </li>
          <li>
            <kbd>S</kbd> {t('task.keySkip')}
          </li>
        </ul>
      </section>
    </div>
  );
}

function Guidelines({ source }: { source: string }) {
  const wide = typeof matchMedia === 'function' && matchMedia('(min-width: 900px)').matches;
  return (
    <aside class="guidelines" aria-label={t('task.guidelines')}>
      <details open={wide}>
        <summary>{t('task.guidelines')}</summary>
        {source ? <Markdown source={source} /> : <p class="muted">{t('task.noGuidelines')}</p>}
      </details>
    </aside>
  );
}
