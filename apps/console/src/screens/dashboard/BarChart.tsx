import { useId } from 'react';
import { type ChartBar, chartGeometry } from './chart-geometry';

/**
 * Bars over time in plain SVG (attributes, no inline style, so the strict CSP holds). The
 * chart is one image with a summary for screen readers; each bar's <title> tells its hour.
 */
export function BarChart({ title, bars }: { title: string; bars: ChartBar[] }) {
  const id = useId();
  const geometry = chartGeometry(bars, { width: 480, height: 160 });
  return (
    <figure className="chart">
      <figcaption id={id}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${geometry.width} ${geometry.height}`}
        role="img"
        aria-labelledby={id}
        aria-describedby={`${id}-summary`}
      >
        <line
          className="chart-axis"
          x1={geometry.left}
          x2={geometry.width}
          y1={geometry.baseline}
          y2={geometry.baseline}
        />
        <text className="chart-label" x={0} y={geometry.top + 10}>
          {geometry.max}
        </text>
        <text className="chart-label" x={0} y={geometry.baseline}>
          0
        </text>
        {geometry.bars.map((bar) => (
          <rect key={bar.label} className="chart-bar" x={bar.x} y={bar.y} width={bar.width} height={bar.height}>
            <title>{`${bar.label}: ${bar.value}`}</title>
          </rect>
        ))}
        {geometry.ticks.map((tick) => (
          <text key={tick.label} className="chart-label" x={tick.x} y={geometry.height - 2} textAnchor="middle">
            {tick.label}
          </text>
        ))}
      </svg>
      <p className="visually-hidden" id={`${id}-summary`}>
        {geometry.summary}
      </p>
    </figure>
  );
}
