// The state every form shares: busy while a request runs, and the problem it ended with.
import { useState } from 'preact/hooks';
import { ApiError, type Problem } from '../api';
import { t } from '../i18n';

/** Any failure as a problem: the server's own, or "could not reach the server". */
export function asProblem(e: unknown): Problem {
  return e instanceof ApiError ? e.problem : { status: 0, title: t('common.networkError') };
}

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  /** Runs `action`, keeping `busy` and `problem` up to date. */
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (e) {
      setProblem(asProblem(e));
    } finally {
      setBusy(false);
    }
  };
  const fail = (e: unknown) => setProblem(asProblem(e));
  return { busy, problem, setProblem, run, fail };
}
