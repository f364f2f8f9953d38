/**
 * Building one HNSW graph file in a worker thread. hnswlib-node inserts on the calling thread, one
 * point at a time: 1M vectors take most of an hour on one core and would stop the server's
 * thread meanwhile. A worker per shard builds in parallel and off the server's thread.
 *
 * The graph file is also the checkpoint: an existing file is read and brought up to date (ids
 * no longer wanted marked deleted, missing ones added), and the file is rewritten every
 * `checkpointMs`, so an interrupted build resumes from its last checkpoint.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface GraphBuildJob {
  /** The graph file to write (and to resume from when it exists). */
  file: string;
  dim: number;
  ids: Int32Array;
  /** `ids.length × dim` floats, L2-normalised. */
  vectors: Float32Array;
  /** How often the graph is written while building. */
  checkpointMs: number;
}

/** HNSW's construction parameters: M = 16 links, efConstruction 200 (recall@10 0.93–0.98 here). */
export const GRAPH_PARAMS = { m: 16, efConstruction: 200, randomSeed: 13 } as const;

// CommonJS evaluated in the worker (as in session-worker.ts), so it runs the same from the
// TypeScript sources under a test runner and from dist/; hnswlib is required by absolute path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync, renameSync } = require('node:fs');
const { HierarchicalNSW } = require(workerData.hnswPath);
const { file, dim, ids, vectors, checkpointMs, params } = workerData;
const index = new HierarchicalNSW('ip', dim);
let present = new Set();
if (existsSync(file)) {
  index.readIndexSync(file, true);
  present = new Set(index.getIdsList());
  const wanted = new Set(ids);
  for (const id of present) {
    if (wanted.has(id)) continue;
    // Ids are never reused (AUTOINCREMENT), so one deleted by an earlier update stays deleted.
    try { index.markDelete(id); } catch {}
  }
  let missing = 0;
  for (const id of ids) if (!present.has(id)) missing++;
  // Deleted points keep their slots until new ones replace them: room for every missing one.
  index.resizeIndex(Math.max(index.getMaxElements(), present.size + missing));
} else {
  index.initIndex({ maxElements: ids.length, ...params, allowReplaceDeleted: true });
}
const save = () => {
  index.writeIndexSync(file + '.tmp');
  renameSync(file + '.tmp', file);
};
let added = 0;
let last = Date.now();
const todo = ids.length - present.size;
for (let r = 0; r < ids.length; r++) {
  const id = ids[r];
  if (present.has(id)) continue;
  index.addPoint(Array.from(vectors.subarray(r * dim, (r + 1) * dim)), id, true);
  added++;
  if (added % 1000 === 0) {
    parentPort.postMessage({ kind: 'progress', done: added, total: todo });
    if (Date.now() - last >= checkpointMs) {
      save();
      last = Date.now();
    }
  }
}
save();
parentPort.postMessage({ kind: 'progress', done: added, total: todo });
parentPort.postMessage({ kind: 'done', added });
`;

const HNSW_PATH = createRequire(import.meta.url).resolve('hnswlib-node');

/**
 * Builds (or resumes, or updates) the graph file of `job` in a worker thread; resolves with how
 * many points it added. `onProgress` hears (added, to add) every thousand points. The job's
 * arrays are handed over, not copied (at 1M vectors a copy is 1.5 GB): each must own its whole
 * buffer, and is empty here afterwards.
 */
export function buildGraphFile(
  job: GraphBuildJob,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { ...job, params: GRAPH_PARAMS, hnswPath: HNSW_PATH },
    transferList: [job.ids.buffer as ArrayBuffer, job.vectors.buffer as ArrayBuffer],
  });
  return new Promise((resolve, reject) => {
    let added: number | undefined;
    worker.on(
      'message',
      (m: { kind: 'progress'; done: number; total: number } | { kind: 'done'; added: number }) => {
        if (m.kind === 'progress') onProgress?.(m.done, m.total);
        else added = m.added;
      },
    );
    worker.once('error', (e) => reject(new Error(`building the graph ${job.file} failed: ${e.message}`)));
    worker.once('exit', (code) => {
      if (added !== undefined) resolve(added);
      else reject(new Error(`building the graph ${job.file} stopped (exit code ${code})`));
    });
  });
}
