// Answers per hour as a uPlot bar chart; loaded only on requester pages.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import { hourlySeries } from './hourly';

export function AnswersChart({ points }: { points: { hour: string; answers: number }[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || points.length === 0) return;
    const [xs, ys] = hourlySeries(points, Date.now());
    const width = () => Math.max(280, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        legend: { show: false },
        scales: {
          // Half an hour of room either side so the first and last bars are not cut.
          x: { time: true, range: (_u, min, max) => [min - 1800, max + 1800] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        series: [{}, { label: t('progress.answersPerHour'), stroke: '#1f5fbf', fill: 'rgba(31,95,191,0.45)', width: 0, points: { show: false }, paths: uPlot.paths.bars?.({ size: [0.8, 24] }) }],
        axes: [{}, { label: t('progress.answers') }],
      },
      [xs, ys],
      el,
    );
    const onResize = () => plot.setSize({ width: width(), height: 220 });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      plot.destroy();
    };
  }, [points]);

  if (points.length === 0) return <p class="muted">{t('progress.noAnswersYet')}</p>;
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={t('progress.chartLabel', { total: points.reduce((s, p) => s + p.answers, 0), hours: points.length })} />
      <figcaption class="muted small">{t('progress.answersPerHour')}</figcaption>
    </figure>
  );
}
