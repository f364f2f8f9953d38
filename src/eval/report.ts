/** A self-contained HTML report of a reader's run on a SQuAD file. */

import type { LoadedSquad, SquadQuestion } from '../core/squad-data.js';
import type { QuestionScore, SquadMetrics, ThresholdSweep } from './squad.js';
import type { SquadRun } from './squad-run.js';

export interface ReportInput {
  title: string;
  data: LoadedSquad;
  run: SquadRun;
  metrics: SquadMetrics;
  scores: ReadonlyMap<string, QuestionScore>;
  /** F1 against the no-answer threshold (SQuAD 2.0 only). */
  f1Sweep?: ThresholdSweep;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

const fmt = (n: number | undefined, digits = 2): string => (n === undefined ? '–' : n.toFixed(digits));

function table(head: string[], rows: Array<Array<string | number>>): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? c : escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function perArticle(
  data: LoadedSquad,
  scores: ReadonlyMap<string, QuestionScore>,
): Array<Array<string | number>> {
  const by = new Map<string, QuestionScore[]>();
  for (const q of data.questions) {
    const s = scores.get(q.id);
    if (!s) continue;
    by.set(q.title, [...(by.get(q.title) ?? []), s]);
  }
  return [...by].map(([title, list]) => [
    title,
    list.length,
    fmt((100 * list.reduce((a, s) => a + s.exact, 0)) / list.length),
    fmt((100 * list.reduce((a, s) => a + s.f1, 0)) / list.length),
  ]);
}

/** An SVG line of score against threshold, with the best point marked. */
function curveSvg(sweep: ThresholdSweep): string {
  const pts = sweep.curve;
  if (pts.length < 2) return '<p>Too few questions for a curve.</p>';
  const W = 640;
  const H = 240;
  const xs = pts.map((p) => p.threshold);
  const lo = Math.max(Math.min(...xs), -20);
  const hi = Math.min(Math.max(...xs), 20);
  const yLo = Math.min(...pts.map((p) => p.score));
  const yHi = Math.max(...pts.map((p) => p.score));
  const x = (t: number): number => ((Math.min(Math.max(t, lo), hi) - lo) / (hi - lo || 1)) * (W - 40) + 30;
  const y = (s: number): number => H - 20 - ((s - yLo) / (yHi - yLo || 1)) * (H - 40);
  const line = pts.map((p) => `${x(p.threshold).toFixed(1)},${y(p.score).toFixed(1)}`).join(' ');
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="F1 against no-answer threshold">
<polyline fill="none" stroke="#2563eb" stroke-width="1.5" points="${line}"/>
<circle cx="${x(sweep.threshold).toFixed(1)}" cy="${y(sweep.score).toFixed(1)}" r="4" fill="#dc2626"/>
<text x="30" y="14" font-size="12">F1 ${fmt(yHi)} max · best threshold ${fmt(sweep.threshold, 3)} (null odds, clipped to ±20)</text>
<text x="30" y="${H - 4}" font-size="11">${fmt(lo)}</text><text x="${W - 40}" y="${H - 4}" font-size="11">${fmt(hi)}</text>
</svg>`;
}

function questionRows(
  list: SquadQuestion[],
  input: ReportInput,
  extra: (q: SquadQuestion) => string,
): Array<Array<string | number>> {
  return list.map((q) => [
    q.id,
    q.question,
    input.run.predictions[q.id] || '(no answer)',
    q.answers.length ? [...new Set(q.answers)].join(' | ') : '(unanswerable)',
    fmt(input.scores.get(q.id)?.f1, 3),
    extra(q),
  ]);
}

export function renderSquadReport(input: ReportInput): string {
  const { data, run, metrics, scores } = input;
  const answered = data.questions.filter((q) => scores.has(q.id));
  const slowest = [...answered]
    .sort((a, b) => (run.latencyMs[b.id] ?? 0) - (run.latencyMs[a.id] ?? 0))
    .slice(0, 15);
  // Worst: lowest F1 first; among equals, the most confident mistakes first.
  const worst = [...answered]
    .sort(
      (a, b) =>
        (scores.get(a.id)?.f1 ?? 0) - (scores.get(b.id)?.f1 ?? 0) ||
        (run.confidence[b.id] ?? 0) - (run.confidence[a.id] ?? 0),
    )
    .slice(0, 25);
  const overall = Object.entries(metrics).map(([k, v]) => [k, typeof v === 'number' ? fmt(v, 4) : String(v)]);
  const qps = run.seconds > 0 ? answered.length / run.seconds : 0;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:70rem;padding:0 1rem;color:#111}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f4f6}h2{margin-top:2rem}.muted{color:#555}
</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<p class="muted">${escapeHtml(data.file)} · SQuAD v${data.version} · ${answered.length} questions · ${fmt(run.seconds, 1)} s (${fmt(qps, 2)} questions/s)</p>
<h2>Overall</h2>
${table(['metric', 'value'], overall)}
${input.f1Sweep ? `<h2>F1 against the no-answer threshold</h2>\n${curveSvg(input.f1Sweep)}` : ''}
<h2>Per article</h2>
${table(['article', 'questions', 'EM', 'F1'], perArticle(data, scores))}
<h2>Worst questions</h2>
${table(
  ['id', 'question', 'prediction', 'gold', 'F1', 'confidence'],
  questionRows(worst, input, (q) => fmt(run.confidence[q.id], 3)),
)}
<h2>Slowest questions</h2>
${table(
  ['id', 'question', 'prediction', 'gold', 'F1', 'ms'],
  questionRows(slowest, input, (q) => fmt(run.latencyMs[q.id], 1)),
)}
</body></html>
`;
}
