import type { FC } from "hono/jsx";
import type { Table } from "./csv.js";

/**
 * Charts drawn on the server as SVG: no script, no CDN, and nothing inline the CSP forbids (classes and
 * presentation attributes only; colours come from insights.css). Each is an image with a title and a
 * description for screen readers; the same figures are always in a table next to it.
 */

/** Okabe–Ito: told apart with every common colour-vision deficiency. Series i uses class s<i> (fill), l<i> (line), k<i> (key). */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const W = 400;

export const INSIGHTS_CSS = [
  `.filters label{display:inline-block;margin-right:.6rem}.note{color:#444;font-size:.9rem}.langs a{margin-right:.6rem}`,
  `figure{margin:1.5rem 0;max-width:100%}figcaption h2{font-size:1.1rem;margin:.2rem 0}`,
  `.chart{display:block;width:100%;max-width:40rem;height:auto}.chart text{font:12px system-ui,sans-serif;fill:#222}`,
  `.chart .axis{stroke:#888;stroke-width:1}.legend{list-style:none;padding:0;margin:.3rem 0}.legend li{display:inline-block;margin-right:.8rem}`,
  `.key{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}`,
  `details{margin:.4rem 0}.scroll{overflow-x:auto;max-width:100%}td.num,th.num{text-align:right}`,
  `.group{border:1px solid #ddd;border-radius:4px;padding:.5rem;margin:.6rem 0}.group ul{list-style:none;padding-left:0}`,
  `main{max-width:100%;overflow-wrap:anywhere}`,
  ...PALETTE.map((c, i) => `.s${i}{fill:${c}}.l${i}{stroke:${c};stroke-width:2;fill:none}.d${i}{fill:${c}}.k${i}{background:${c}}`),
].join("\n");

const series = (i: number) => i % PALETTE.length;

const Svg: FC<{ id: string; title: string; desc: string; height: number; children?: unknown }> = ({ id, title, desc, height, children }) => (
  <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${W} ${height}`} class="chart" xmlns="http://www.w3.org/2000/svg">
    <title id={`${id}-t`}>{title}</title>
    <desc id={`${id}-d`}>{desc}</desc>
    {children}
  </svg>
);

export interface Bar {
  label: string;
  /** null: not drawn (hidden or withheld); `text` says why. */
  value: number | null;
  text: string;
}

/** Horizontal bars, label above each bar: readable on a phone whatever the label's length. */
export const BarChart: FC<{ id: string; title: string; desc: string; bars: Bar[] }> = ({ id, title, desc, bars }) => {
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const row = 30;
  return (
    <Svg id={id} title={title} desc={desc} height={Math.max(row, bars.length * row) + 4}>
      {bars.map((b, i) => {
        const width = b.value === null ? 0 : Math.max(1, (b.value / max) * (W - 60));
        return (
          <g>
            <text x="0" y={i * row + 11}>{b.label}</text>
            {b.value === null ? null : <rect class="s0" x="0" y={i * row + 15} width={width.toFixed(1)} height="10" />}
            <text x={(width + 4).toFixed(1)} y={i * row + 24}>{b.text}</text>
          </g>
        );
      })}
    </Svg>
  );
};

/** Columns (one per day) stacked by series; a null segment (hidden) is not drawn. */
export const StackedBars: FC<{ id: string; title: string; desc: string; columns: { label: string; segments: (number | null)[] }[] }> = ({ id, title, desc, columns }) => {
  const height = 200;
  const top = 10;
  const bottom = 170;
  const left = 30;
  const max = Math.max(1, ...columns.map((c) => c.segments.reduce<number>((s, v) => s + (v ?? 0), 0)));
  const step = (W - left) / Math.max(1, columns.length);
  const y = (v: number) => bottom - (v / max) * (bottom - top);
  return (
    <Svg id={id} title={title} desc={desc} height={height}>
      <line class="axis" x1={left} y1={bottom} x2={W} y2={bottom} />
      <text x="0" y={top + 8}>{max}</text>
      <text x="0" y={bottom}>0</text>
      {columns.map((c, i) => {
        let base = 0;
        return (
          <g>
            {c.segments.map((v, s) => {
              if (v === null || v === 0) return null;
              const rect = <rect class={`s${series(s)}`} x={(left + i * step + step * 0.1).toFixed(1)} y={y(base + v).toFixed(1)} width={(step * 0.8).toFixed(1)} height={(y(base) - y(base + v)).toFixed(1)} />;
              base += v;
              return rect;
            })}
          </g>
        );
      })}
      <XLabels labels={columns.map((c) => c.label)} left={left} step={step} y={bottom + 16} />
    </Svg>
  );
};

/** Lines over days, values 0..1 shown as percentages; a null value breaks the line. */
export const LineChart: FC<{ id: string; title: string; desc: string; labels: string[]; lines: (number | null)[][] }> = ({ id, title, desc, labels, lines }) => {
  const height = 200;
  const top = 10;
  const bottom = 170;
  const left = 34;
  const highest = Math.max(0, ...lines.flat().map((v) => v ?? 0));
  const max = Math.min(1, Math.max(0.1, Math.ceil(highest * 10) / 10));
  const step = (W - left) / Math.max(1, labels.length);
  const x = (i: number) => (left + i * step + step / 2).toFixed(1);
  const y = (v: number) => (bottom - (v / max) * (bottom - top)).toFixed(1);
  const runs = (values: (number | null)[]) => {
    const out: { i: number; v: number }[][] = [[]];
    values.forEach((v, i) => (v === null ? out.push([]) : out.at(-1)!.push({ i, v })));
    return out.filter((r) => r.length > 0);
  };
  return (
    <Svg id={id} title={title} desc={desc} height={height}>
      <line class="axis" x1={left} y1={bottom} x2={W} y2={bottom} />
      <text x="0" y={top + 8}>{`${Math.round(max * 100)}%`}</text>
      <text x="0" y={bottom}>0%</text>
      {lines.map((values, s) =>
        runs(values).map((run) =>
          run.length === 1 ? (
            <circle class={`d${series(s)}`} cx={x(run[0]!.i)} cy={y(run[0]!.v)} r="3" />
          ) : (
            <polyline class={`l${series(s)}`} points={run.map((p) => `${x(p.i)},${y(p.v)}`).join(" ")} />
          ),
        ),
      )}
      <XLabels labels={labels} left={left} step={step} y={bottom + 16} />
    </Svg>
  );
};

/** First, middle and last label only: thirty dates side by side would not fit a phone. */
const XLabels: FC<{ labels: string[]; left: number; step: number; y: number }> = ({ labels, left, step, y }) => {
  const picks = [...new Set([0, Math.floor((labels.length - 1) / 2), labels.length - 1])].filter((i) => i >= 0 && i < labels.length);
  return (
    <>
      {picks.map((i) => (
        <text x={(left + i * step + step / 2).toFixed(1)} y={y} text-anchor={i === 0 && labels.length > 1 ? "start" : i === labels.length - 1 && labels.length > 1 ? "end" : "middle"}>
          {labels[i]}
        </text>
      ))}
    </>
  );
};

export const Legend: FC<{ names: string[] }> = ({ names }) => (
  <ul class="legend">
    {names.map((name, i) => (
      <li>
        <span class={`key k${series(i)}`}></span>
        {name}
      </li>
    ))}
  </ul>
);

/** A table view: numbers right-aligned, scrolling inside its box rather than widening the page. */
export const DataTable: FC<{ table: Table }> = ({ table }) => (
  <div class="scroll">
    <table>
      <thead>
        <tr>
          {table.headers.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row) => (
          <tr>
            {row.map((cell, i) => (
              <td class={i > 0 && (typeof cell === "number" || /^[<—]/.test(cell)) ? "num" : undefined}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
