import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FeedTensor, WorkerSession } from '../../src/models/session-worker.js';
import { FIXTURE_MODELS } from '../helpers/fixtures.js';

const MODEL = join(FIXTURE_MODELS, 'tiny-reader', 'model.onnx');
const SOURCE = new URL('../../src/models/session-worker.ts', import.meta.url).href;

function feeds(ids: number[]): Record<string, FeedTensor> {
  const tensor = (values: number[]): FeedTensor => ({
    type: 'int64',
    data: BigInt64Array.from(values, BigInt),
    dims: [1, values.length],
  });
  return {
    input_ids: tensor(ids),
    attention_mask: tensor(ids.map(() => 1)),
    token_type_ids: tensor(ids.map(() => 0)),
  };
}

describe('WorkerSession (a real onnxruntime session in a worker thread)', () => {
  it('finishes the runs asked for before a release, then refuses new ones', async () => {
    const session = await WorkerSession.open({ modelPath: MODEL, threads: 2, spinWait: true });
    // Not awaited: the release arrives while the worker still holds these runs. Freeing the
    // session under a pending run used to abort the whole process.
    const runs = [0, 1, 2, 3, 4].map(() => session.run(feeds([101, 2043, 102, 1996, 102])));
    await session.release();
    const outputs = await Promise.all(runs);
    for (const out of outputs) expect(out.start_logits?.dims).toEqual([1, 5]);
    await expect(session.run(feeds([101, 102]))).rejects.toThrow('the session was released');
  });

  it('runs with its pool threads sleeping between runs (spinWait off)', async () => {
    const session = await WorkerSession.open({ modelPath: MODEL, threads: 2, spinWait: false });
    const spinning = await WorkerSession.open({ modelPath: MODEL, threads: 2, spinWait: true });
    try {
      const ids = [101, 2043, 2001, 102, 1996, 3578, 102];
      const [a, b] = await Promise.all([session.run(feeds(ids)), spinning.run(feeds(ids))]);
      expect(a.start_logits?.data).toEqual(b.start_logits?.data);
      expect(a.end_logits?.data).toEqual(b.end_logits?.data);
    } finally {
      await Promise.all([session.release(), spinning.release()]);
    }
  });

  it('lets a process end that never released its session', () => {
    // It used to wait forever: a 'message' listener added after unref() refs the worker again.
    const script = join(mkdtempSync(join(tmpdir(), 'qa-worker-')), 'open-and-leave.mjs');
    writeFileSync(
      script,
      [
        `import { WorkerSession } from ${JSON.stringify(SOURCE)};`,
        `const session = await WorkerSession.open({ modelPath: ${JSON.stringify(MODEL)}, threads: 1, spinWait: true });`,
        `console.log(session.outputNames.join(','));`,
      ].join('\n'),
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('start_logits,end_logits');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
  });
});
