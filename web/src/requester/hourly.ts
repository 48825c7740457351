// Answers per hour as a continuous series: missing hours are zero, and at least the last day shows.

const hour = 3600;

export function hourlySeries(points: { hour: string; answers: number }[], nowMs: number, maxHours = 24 * 14): [number[], number[]] {
  const counts = new Map<number, number>();
  for (const p of points) {
    const t = Math.floor(new Date(p.hour).getTime() / 1000 / hour) * hour;
    if (!isNaN(t)) counts.set(t, (counts.get(t) ?? 0) + p.answers);
  }
  const last = Math.max(Math.floor(nowMs / 1000 / hour) * hour, ...counts.keys());
  const first = Math.max(Math.min(last - 23 * hour, ...counts.keys()), last - (maxHours - 1) * hour);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = first; t <= last; t += hour) {
    xs.push(t);
    ys.push(counts.get(t) ?? 0);
  }
  return [xs, ys];
}
