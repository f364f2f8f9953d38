/**
 * How long the dense side's HNSW graphs take to build from a workspace's stored passage vectors,
 * for each number of shards (src/retrieval/dense-index.ts: one worker thread per shard), each into
 * a fresh temporary cache, so nothing is read back from an earlier build.
 *
 *   npx tsx bench/graph-build.ts --workspace DIR [--shards 2,1]
 *
 * For example on the 100k corpus `npm run bench:load -- --data squad100k` leaves in
 * /tmp/qa-load-squad100k.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openWorkspaceDb } from '../src/app/workspace.js';
import { loadConfig } from '../src/core/config.js';
import { ModelRegistry } from '../src/models/registry.js';
import { DenseIndex } from '../src/retrieval/dense-index.js';
import { DocStore } from '../src/retrieval/doc-store.js';

const { values } = parseArgs({
  options: {
    workspace: { type: 'string', default: '/tmp/qa-load-squad100k' },
    shards: { type: 'string', default: '2,1' },
  },
});

const encoder = new ModelRegistry(loadConfig().modelsDir).defaultEncoder();
if (!encoder) throw new Error('no encoder installed');
const { name, dim } = encoder.manifest;
const db = openWorkspaceDb({ workspace: values.workspace });
const { ids, vectors } = new DocStore(db).vectors.load(name, dim);
db.close();
for (const shards of values.shards.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'qa-graph-bench-'));
  const t0 = performance.now();
  await DenseIndex.open(ids, vectors, dim, { annThreshold: 0, shards, cacheFile: join(dir, 'v.hnsw') });
  console.log(
    `${ids.length} vectors of ${name}, ${shards} shard(s): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  rmSync(dir, { recursive: true, force: true });
}
