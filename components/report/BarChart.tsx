/** A horizontal bar chart in plain SVG; the numbers are also in the accessible name and the labels. */
export function BarChart({ title, data }: { title: string; data: { label: string; value: number; tone?: 'ok' | 'warn' }[] }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const row = 26;
  const width = 520;
  const labelWidth = 170;
  return (
    <figure className="chart">
      <svg role="img" aria-label={`${title}: ${data.map((d) => `${d.label} ${d.value}`).join(', ')}`} width={width} height={data.length * row + 4} viewBox={`0 0 ${width} ${data.length * row + 4}`}>
        {data.map((d, i) => {
          const w = ((width - labelWidth - 60) * d.value) / max;
          return (
            <g key={d.label} transform={`translate(0 ${i * row + 2})`}>
              <text x={0} y={16} className="chart-label">{d.label}</text>
              <rect x={labelWidth} y={3} width={Math.max(w, d.value ? 2 : 0)} height={16} rx={3} className={`bar ${d.tone ?? ''}`} />
              <text x={labelWidth + w + 6} y={16} className="chart-value">{d.value}</text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
