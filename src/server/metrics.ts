/**
 * Prometheus text exposition (version 0.0.4), written by hand: request counts and latency by
 * endpoint, and each QA route's latency and failures as the pipeline reported them in `timings`.
 * Labels are endpoint patterns, never raw paths, so their number stays bounded.
 */
import type { Answer } from '../core/types.js';

/** Seconds; spans a cached health check to a slow question under load. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; n: number }>();

  observe(labels: string, seconds: number): void {
    let s = this.series.get(labels);
    if (!s) {
      s = { counts: BUCKETS.map(() => 0), sum: 0, n: 0 };
      this.series.set(labels, s);
    }
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) (s.counts[i] as number)++;
    });
    s.sum += seconds;
    s.n++;
  }

  render(name: string, help: string): string[] {
    const out = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    for (const [labels, s] of this.series) {
      BUCKETS.forEach((b, i) => {
        out.push(`${name}_bucket{${labels},le="${b}"} ${s.counts[i]}`);
      });
      out.push(`${name}_bucket{${labels},le="+Inf"} ${s.n}`, `${name}_sum{${labels}} ${s.sum}`);
      out.push(`${name}_count{${labels}} ${s.n}`);
    }
    return out;
  }
}

class Counter {
  private readonly series = new Map<string, number>();

  inc(labels: string, by = 1): void {
    this.series.set(labels, (this.series.get(labels) ?? 0) + by);
  }

  render(name: string, help: string): string[] {
    const out = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
    for (const [labels, v] of this.series) out.push(`${name}{${labels}} ${v}`);
    return out;
  }
}

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class Metrics {
  private readonly requests = new Counter();
  private readonly requestSeconds = new Histogram();
  private readonly routeSeconds = new Histogram();
  private readonly routeErrors = new Counter();
  private readonly routeCandidates = new Counter();
  private readonly asks = new Counter();
  private readonly started = Date.now();

  /** `route` is the endpoint pattern (`/api/threads/:id`), or a fixed word for unmatched paths. */
  request(route: string, method: string, status: number, seconds: number): void {
    const r = `route="${label(route)}",method="${label(method)}"`;
    this.requests.inc(`${r},status="${status}"`);
    this.requestSeconds.observe(r, seconds);
  }

  answer(a: Answer): void {
    this.asks.inc(`outcome="${a.abstained ? 'abstained' : 'answered'}",cached="${a.cached === true}"`);
    // A cached answer's timings are those of the first time it was asked.
    if (a.cached) return;
    for (const t of a.timings) {
      const r = `route="${t.route}"`;
      this.routeSeconds.observe(r, t.ms / 1000);
      this.routeCandidates.inc(r, t.candidates);
      if (t.error !== undefined) this.routeErrors.inc(r);
    }
  }

  render(): string {
    return [
      ...this.requests.render('qa_http_requests_total', 'HTTP requests by endpoint, method and status.'),
      ...this.requestSeconds.render('qa_http_request_duration_seconds', 'HTTP request latency by endpoint.'),
      ...this.asks.render('qa_asks_total', 'Questions answered or abstained on.'),
      ...this.routeSeconds.render('qa_route_duration_seconds', 'Time each QA route took per question.'),
      ...this.routeCandidates.render('qa_route_candidates_total', 'Candidates each QA route proposed.'),
      ...this.routeErrors.render('qa_route_errors_total', 'QA route failures, timeouts included.'),
      '# HELP qa_uptime_seconds Seconds since the server started.',
      '# TYPE qa_uptime_seconds gauge',
      `qa_uptime_seconds ${(Date.now() - this.started) / 1000}`,
      '',
    ].join('\n');
  }
}
