import { t } from '../i18n';
import { useSession } from '../session';
import { AuditPanel } from './AuditPanel';

export default function Operator() {
  const { me } = useSession();
  return (
    <div>
      <h1>{t('operator.title')}</h1>
      <p>{t('operator.body', { name: me?.displayName ?? '' })}</p>
      <ul>
        <li>
          <a href="/api/reference">{t('operator.apiReference')}</a>
        </li>
        <li>
          <a href="/health/ready">{t('operator.health')}</a>
        </li>
      </ul>
      <AuditPanel />
    </div>
  );
}
