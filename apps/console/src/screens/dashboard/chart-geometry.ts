export interface ChartBar {
  label: string;
  value: number;
}

/** Where each bar goes in the SVG, the axis ticks, and a sentence that says what the chart shows. */
export function chartGeometry(bars: ChartBar[], size: { width: number; height: number }) {
  const left = 28;
  const top = 4;
  const bottom = 18;
  const baseline = size.height - bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (size.width - left) / Math.max(1, bars.length);
  const drawn = bars.map((bar, index) => {
    const height = Math.round(((baseline - top) * bar.value) / max);
    return { ...bar, x: left + index * slot + slot * 0.15, width: slot * 0.7, y: baseline - height, height };
  });
  // Every sixth hour is labelled; more would overlap on a phone.
  const ticks = drawn
    .filter((_, index) => index % 6 === 0)
    .map((bar) => ({ label: bar.label, x: bar.x + bar.width / 2 }));
  const total = bars.reduce((sum, b) => sum + b.value, 0);
  const peak = bars.reduce<ChartBar | undefined>((best, b) => (!best || b.value > best.value ? b : best), undefined);
  const summary =
    total === 0 ? 'None in this period.' : `${total} in total; the most, ${peak!.value}, at ${peak!.label}.`;
  return { width: size.width, height: size.height, left, top, baseline, max, bars: drawn, ticks, summary };
}
