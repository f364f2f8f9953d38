/**
 * `qa ask`: answer a question with the whole pipeline (every route with data in the workspace),
 * or, given a passage (--context, --context-file), with the span reader alone.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openPipeline } from '../app/open.js';
import { ROUTES } from '../app/pipeline.js';
import { QaError } from '../core/errors.js';
import type { Answer, AskRequest, Candidate, RouteName } from '../core/types.js';
import { readHistory } from '../dialogue/history.js';
import { type CliContext, contextFrom, parseIntOption, readerName } from './context.js';
import { progressBar } from './progress.js';

interface AskOptions {
  history?: string;
  filter?: NonNullable<AskRequest['filters']>;
  context?: string;
  contextFile?: string;
  topK?: number;
  routes?: RouteName[];
  json?: boolean;
  explain?: boolean;
}

function parseRoutes(v: string): RouteName[] {
  const names = v.split(',').map((s) => s.trim());
  const bad = names.find((n) => !(ROUTES as readonly string[]).includes(n));
  if (bad !== undefined) {
    throw new QaError('bad_input', `unknown route "${bad}"`, { where: '--routes', hint: ROUTES.join(', ') });
  }
  return names as RouteName[];
}

/** `--filter tags=a,b --filter after=2024-01-01`, accumulated into one filter. */
function parseFilter(v: string, previous: AskOptions['filter']): NonNullable<AskOptions['filter']> {
  const m = /^(source|tags|after|before)=(.+)$/.exec(v.trim());
  if (!m?.[1] || !m[2]) {
    throw new QaError('bad_input', `"${v}" is not a filter`, {
      where: '--filter',
      hint: 'source=NAME, tags=A,B, after=YYYY-MM-DD or before=YYYY-MM-DD',
    });
  }
  const [, field, value] = m;
  const out = { ...previous };
  if (field === 'source') out.source = [...(out.source ?? []), value];
  else if (field === 'tags')
    out.tags = [
      ...(out.tags ?? []),
      ...value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ];
  else {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new QaError('bad_input', `${field} needs a date YYYY-MM-DD, got "${value}"`, {
        where: '--filter',
      });
    }
    out[field as 'after' | 'before'] = value;
  }
  return out;
}

function evidenceLine(c: Candidate): string {
  const e = c.evidence;
  if (e.kind === 'passage') return `passage of "${e.title ?? e.docId}" (${e.reader})`;
  if (e.kind === 'sparql') return `SPARQL over ${e.entities.map((x) => x.label).join(', ')}`;
  return `community thread #${e.threadId}: ${JSON.stringify(e.question.slice(0, 80))}`;
}

export function printAnswer(a: Answer): void {
  const best = a.answers[0];
  if (a.resolved && a.resolved !== a.question) process.stdout.write(`  answered as: ${a.resolved}\n`);
  process.stdout.write(
    best && !a.abstained ? `${best.text}\n` : `no answer: ${a.reason ?? 'nothing found'}\n`,
  );
  for (const c of a.answers) {
    process.stdout.write(
      `  ${(100 * c.score).toFixed(0).padStart(3)}%  [${c.route}] ${JSON.stringify(c.text)}  — ${evidenceLine(c)}\n`,
    );
  }
  const times = a.timings
    .map((t) => `${t.route} ${t.ms.toFixed(0)} ms${t.error ? ' (failed)' : ''}`)
    .join(', ');
  process.stdout.write(`  routes: ${times || 'none'}\n`);
  for (const w of a.warnings) process.stdout.write(`  warning: ${w}\n`);
  if (!a.explanation) return;
  const weights = Object.entries(a.parsed.routeWeights)
    .map(([r, w]) => `${r} ${w.toFixed(2)}`)
    .join(', ');
  process.stdout.write(
    `  explain: ${a.parsed.type} question, route weights ${weights}; calibration ${a.explanation.calibration}, ` +
      `threshold ${a.explanation.threshold}\n`,
  );
  for (const c of a.explanation.candidates) {
    const failed = (c.checks ?? []).filter((x) => !x.passed).map((x) => `${x.check}: ${x.detail}`);
    process.stdout.write(
      `    [${c.route}] raw ${c.raw.toFixed(3)} → ${c.calibrated.toFixed(3)}  ${JSON.stringify(c.text.slice(0, 60))}` +
        `${failed.length ? `  (failed ${failed.join('; ')})` : ''}\n`,
    );
  }
}

async function askPipeline(ctx: CliContext, question: string, opts: AskOptions): Promise<void> {
  const bar = progressBar('indexing');
  const pipeline = await openPipeline(ctx.config, ctx.models, { onProgress: (_, d, t) => bar.update(d, t) });
  bar.stop();
  try {
    const answer = await pipeline.ask({
      question,
      ...(opts.history ? { history: readHistory(opts.history) } : {}),
      ...(opts.filter ? { filters: opts.filter } : {}),
      ...(opts.routes ? { routes: opts.routes } : {}),
      topK: Math.max(1, opts.topK ?? 3),
      ...(opts.explain ? { explain: true } : {}),
    });
    if (opts.json) process.stdout.write(`${JSON.stringify(answer)}\n`);
    else printAnswer(answer);
  } finally {
    await pipeline.close();
  }
}

function passage(opts: AskOptions): string {
  if (opts.context !== undefined && opts.contextFile !== undefined) {
    throw new QaError('bad_input', 'give --context or --context-file, not both');
  }
  if (opts.contextFile !== undefined) {
    try {
      return readFileSync(opts.contextFile, 'utf8');
    } catch (e) {
      throw new QaError('not_found', 'cannot read the context file', { where: opts.contextFile, cause: e });
    }
  }
  return opts.context ?? '';
}

export function registerAsk(program: Command): void {
  program
    .command('ask')
    .description('answer a question from the workspace, or from a passage given with --context')
    .argument('<question>', 'the question')
    .option(
      '--history <file>',
      'earlier turns of the conversation: a JSON array of {question, answer?, resolved?}',
    )
    .option(
      '--filter <field=value>',
      'read only some documents: source=NAME, tags=A,B, after=YYYY-MM-DD, before=YYYY-MM-DD (repeatable)',
      parseFilter,
    )
    .option('--context <text>', 'the passage to read')
    .option('--context-file <file>', 'read the passage from a text file')
    .option('--top-k <n>', 'answers to show', parseIntOption('--top-k'), 3)
    .option(
      '--routes <names>',
      `routes to run, comma-separated (${ROUTES.join(', ')}; default: all)`,
      parseRoutes,
    )
    .option('--json', 'print the result as JSON')
    .option('--explain', "show every route's candidates with their raw and calibrated scores")
    .action(async (question: string, opts: AskOptions, cmd: Command) => {
      if (question.trim() === '') throw new QaError('bad_input', 'the question is empty');
      const ctx = contextFrom(cmd);
      if (opts.context === undefined && opts.contextFile === undefined) {
        await askPipeline(ctx, question, opts);
        return;
      }
      if (opts.history !== undefined) {
        throw new QaError(
          'bad_input',
          '--history goes with the workspace, not with a passage given by --context',
        );
      }
      const context = passage(opts);
      const name = readerName(ctx);
      const reader = await ctx.models.reader(name, { threads: ctx.config.threads });
      try {
        const res = await reader.read({ question, context }, { topK: Math.max(1, opts.topK ?? 3) });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ reader: name, ...res })}\n`);
          return;
        }
        const best = res.answers[0];
        if (res.noAnswer || !best) {
          process.stdout.write(
            `no answer in the passage (no-answer probability ${res.noAnswerProbability.toFixed(2)})\n`,
          );
        } else {
          process.stdout.write(`${best.text}\n`);
        }
        for (const a of res.answers) {
          process.stdout.write(
            `  ${a.probability.toFixed(3)}  ${JSON.stringify(a.text)}  [${a.start}, ${a.end})\n`,
          );
        }
      } finally {
        await ctx.models.close();
      }
    });
}
