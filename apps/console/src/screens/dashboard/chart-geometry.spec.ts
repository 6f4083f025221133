import { chartGeometry } from './chart-geometry';

describe('bar chart geometry', () => {
  const bars = [
    { label: '10:00', value: 2 },
    { label: '11:00', value: 8 },
    { label: '12:00', value: 0 },
  ];

  it('scales bars to the tallest one and keeps them above the baseline', () => {
    const chart = chartGeometry(bars, { width: 328, height: 118 });
    expect(chart.max).toBe(8);
    const [a, b, c] = chart.bars;
    expect(b.height).toBe(chart.baseline - chart.top);
    expect(a.height).toBe(Math.round(b.height / 4));
    expect(c.height).toBe(0);
    expect(a.y + a.height).toBe(chart.baseline);
    expect(b.x).toBeGreaterThan(a.x);
  });

  it('says what it shows, for screen readers', () => {
    expect(chartGeometry(bars, { width: 300, height: 100 }).summary).toBe('10 in total; the most, 8, at 11:00.');
    expect(chartGeometry([{ label: 'x', value: 0 }], { width: 300, height: 100 }).summary).toBe('None in this period.');
  });
});
