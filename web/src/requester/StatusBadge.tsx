import { t } from '../i18n';
import type { ProjectStatus } from '../types';

export function StatusBadge({ status }: { status: ProjectStatus }) {
  return <span class={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}
