import { afterEach, describe, expect, it, vi } from 'vitest';
import ProjectPage from '../src/requester/ProjectPage';
import type { Project, ProjectQuality } from '../src/types';
import { flush, mount } from './helpers';

// uPlot needs a real browser (matchMedia); the chart is not what this test is about.
vi.mock('../src/requester/Chart', () => ({ AnswersChart: () => null }));

const project: Project = {
  id: 7,
  name: 'Tickets',
  description: '',
  guidelines: '',
  template: { fields: [], questions: [{ id: 'category', type: 'single_choice', prompt: 'Which team?', options: [{ value: 'a' }, { value: 'b' }] }] },
  overlap: 3,
  payPerTask: 0.12,
  currency: 'USD',
  estimatedSeconds: 20,
  aggregation: 'wawa',
  status: 'published',
  createdAt: '2026-01-01T00:00:00Z',
  hourlyRate: 21.6,
};

const quality: ProjectQuality = {
  questions: [{ question: 'category', method: 'wawa', items: 5, answers: 5, krippendorffAlpha: null, percentAgreement: null, goldAnswered: 5, goldAccuracy: 0.4 }],
  taskers: [{ taskerId: 3, name: 'Amina Njoroge', country: 'KE', answers: 5, estimatedAccuracy: 1, goldAnswered: 5, goldAccuracy: 0.4 }],
};

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('ProjectPage', () => {
  it('shows the aggregation method and the quality panel, refreshed with progress', async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        urls.push(url);
        const body =
          url === '/api/projects/7' ? project
          : url === '/api/projects/7/progress' ? { items: 5, completedItems: 0, answers: 5, activeTaskers: 1, leasedTasks: 0, answersPerHour: [] }
          : url === '/api/projects/7/quality' ? quality
          : url.startsWith('/api/projects/7/items') ? { total: 0, items: [] }
          : url === '/api/projects/7/audience'
            ? { countryMode: 'anyone', countries: [], languages: [], expertise: [], dailyExposureCap: null, operatorDailyExposureCap: 200 }
          : [];
        return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }),
    );
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const m = mount(<ProjectPage projectId="7" />);
    await flush();
    expect(m.root.querySelector('[data-testid="aggregation"]')!.textContent).toBe('Label aggregation: Wawa');
    expect(m.root.textContent).toContain('Every raw answer and the aggregated label per item. Method: Wawa.');
    expect(m.root.textContent).not.toContain('majority-vote');
    const panel = m.root.querySelector('[data-testid="quality-panel"]')!;
    expect(panel.querySelector('[data-question="category"]')!.textContent).toContain('Which team?');
    expect(panel.querySelector('[data-tasker="3"]')!.textContent).toContain('Amina Njoroge');
    expect(urls.filter((u) => u === '/api/projects/7/quality')).toHaveLength(1);

    vi.advanceTimersByTime(15_000);
    await flush();
    expect(urls.filter((u) => u === '/api/projects/7/quality')).toHaveLength(2);
    expect(urls.filter((u) => u === '/api/projects/7/progress')).toHaveLength(2);
    m.unmount();
  });
});
