// Numbers, money and durations in the reader's locale.
import { t, locale } from './i18n';

export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency, maximumFractionDigits: 2 }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export function num(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

export function duration(seconds: number): string {
  if (seconds < 90) return t('format.seconds', { n: Math.round(seconds) });
  if (seconds < 600) return t('format.minutes', { n: Math.round((seconds / 60) * 10) / 10 });
  if (seconds < 5400) return t('format.minutes', { n: Math.round(seconds / 60) });
  return t('format.hours', { n: Math.round((seconds / 3600) * 10) / 10 });
}

export function hourly(rate: number, currency: string): string {
  return t('format.perHour', { amount: money(rate, currency) });
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleString(locale());
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
