/**
 * Sentence vectors stored beside the rows they describe: one table per kind of row, unique on
 * (model, row id), so vectors from another encoder never mix in and stale rows cascade away.
 * Ordinary rowid tables: a 1.5 kB vector per row is too large for a WITHOUT ROWID table, which
 * measured three times the raw size on disk.
 */
import { blobToVector, type Db, vectorToBlob } from './database.js';
import type { VectorEncoder } from './types.js';

export interface VectorTableSpec {
  /** The vectors' table: (model TEXT, <key> INTEGER, vec BLOB). */
  table: string;
  key: string;
  /** The table of the rows described, with an INTEGER PRIMARY KEY `id`. */
  rows: string;
}

export class VectorTable {
  constructor(
    private readonly db: Db,
    private readonly spec: VectorTableSpec,
  ) {}

  private get missingSql(): string {
    const { table, key, rows } = this.spec;
    return `FROM ${rows} r WHERE NOT EXISTS (SELECT 1 FROM ${table} v WHERE v.model = ? AND v.${key} = r.id)`;
  }

  /** Ids of rows with no vector from `model`, lowest first. */
  missing(model: string, limit: number): number[] {
    return this.db
      .prepare<[string, number], { id: number }>(`SELECT r.id ${this.missingSql} ORDER BY r.id LIMIT ?`)
      .all(model, limit)
      .map((r) => r.id);
  }

  countMissing(model: string): number {
    return (
      this.db.prepare<[string], { n: number }>(`SELECT count(*) AS n ${this.missingSql}`).get(model)?.n ?? 0
    );
  }

  put(model: string, ids: readonly number[], vectors: Float32Array, dim: number): void {
    const { table, key } = this.spec;
    const ins = this.db.prepare<[string, number, Buffer]>(
      `INSERT OR REPLACE INTO ${table} (model, ${key}, vec) VALUES (?, ?, ?)`,
    );
    this.db.transaction(() => {
      ids.forEach((id, i) => {
        ins.run(model, id, vectorToBlob(vectors.subarray(i * dim, (i + 1) * dim)));
      });
    })();
  }

  /** Every vector of `model` as one contiguous row-major matrix, with the row id of each. */
  load(model: string, dim: number): { ids: Int32Array; vectors: Float32Array } {
    const { table, key } = this.spec;
    const n =
      this.db
        .prepare<[string], { n: number }>(`SELECT count(*) AS n FROM ${table} WHERE model = ?`)
        .get(model)?.n ?? 0;
    const ids = new Int32Array(n);
    const vectors = new Float32Array(n * dim);
    let i = 0;
    const rows = this.db
      .prepare<[string], { id: number; vec: Buffer }>(
        `SELECT ${key} AS id, vec FROM ${table} WHERE model = ? ORDER BY ${key}`,
      )
      .iterate(model);
    for (const row of rows) {
      if (i >= n) break;
      ids[i] = row.id;
      vectors.set(blobToVector(row.vec), i * dim);
      i++;
    }
    return { ids: ids.subarray(0, i), vectors: vectors.subarray(0, i * dim) };
  }

  /**
   * Encodes every row that has no vector from `model` yet, in batches (each batch committed, so
   * an interrupted run resumes); `texts` gives the text of each id. Returns how many were encoded.
   */
  async fill(
    model: string,
    encoder: VectorEncoder,
    texts: (ids: number[]) => string[],
    onProgress: (done: number, total: number) => void = () => {},
    batch = 128,
  ): Promise<number> {
    const total = this.countMissing(model);
    let done = 0;
    for (;;) {
      const ids = this.missing(model, batch);
      if (ids.length === 0) break;
      this.put(model, ids, await encoder.encode(texts(ids)), encoder.dim);
      done += ids.length;
      onProgress(done, total);
    }
    return done;
  }
}
