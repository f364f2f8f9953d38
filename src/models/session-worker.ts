/**
 * One onnxruntime session in its own worker thread. onnxruntime-node runs `InferenceSession.run`
 * on the calling JavaScript thread, so in the server's thread every inference would stop it from
 * accepting connections and answering /api/health; in a worker it does not, and the reader and
 * the encoder can use both cores at once. Runs are answered in order, one at a time per session.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** An input tensor as it crosses to the worker: plain typed data, the buffer handed over. */
export interface FeedTensor {
  type: 'int64';
  data: BigInt64Array;
  dims: number[];
}

export interface OutputTensor {
  type: string;
  data: Float32Array;
  dims: readonly number[];
}

export interface SessionConfig {
  modelPath: string;
  threads: number;
  /** Whether the intra-op threads spin-wait for the next run instead of sleeping. */
  spinWait: boolean;
}

// The worker's code travels as a string (CommonJS, evaluated), so it runs the same from the
// TypeScript sources under a test runner and from dist/; onnxruntime is required by absolute path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
(async () => {
  let session;
  try {
    session = await ort.InferenceSession.create(workerData.modelPath, {
      intraOpNumThreads: workerData.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      ...(workerData.spinWait ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
    });
  } catch (e) {
    parentPort.postMessage({ kind: 'failed', message: String(e && e.message ? e.message : e) });
    return;
  }
  parentPort.postMessage({ kind: 'ready', inputNames: session.inputNames, outputNames: session.outputNames });
  // One message at a time: onnxruntime-node starts a run on a later turn of the event loop, so a
  // release handled meanwhile would free the session under it and abort the whole process.
  let queue = Promise.resolve();
  parentPort.on('message', (m) => {
    queue = queue.then(() => handle(m));
  });
  async function handle(m) {
    if (m.kind === 'release') {
      // The worker is stopped next whatever happens here, so a failure to free is not reported.
      await session.release().catch(() => {});
      parentPort.postMessage({ kind: 'released' });
      return;
    }
    try {
      const feeds = {};
      for (const [name, t] of Object.entries(m.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const out = await session.run(feeds);
      const outputs = {};
      const transfer = [];
      for (const [name, t] of Object.entries(out)) {
        outputs[name] = { type: t.type, data: t.data, dims: t.dims };
        transfer.push(t.data.buffer);
      }
      parentPort.postMessage({ kind: 'result', id: m.id, outputs }, transfer);
    } catch (e) {
      parentPort.postMessage({ kind: 'error', id: m.id, message: String(e && e.message ? e.message : e) });
    }
  }
})();
`;

const ORT_PATH = createRequire(import.meta.url).resolve('onnxruntime-node');

type Reply =
  | { kind: 'ready'; inputNames: string[]; outputNames: string[] }
  | { kind: 'failed'; message: string }
  | { kind: 'result'; id: number; outputs: Record<string, OutputTensor> }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'released' };

export class WorkerSession {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (o: Record<string, OutputTensor>) => void; reject: (e: Error) => void }
  >();
  private released?: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
  ) {
    worker.on('message', (m: Reply) => {
      if (m.kind !== 'result' && m.kind !== 'error') return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0 && !this.released) worker.unref();
      if (m.kind === 'result') p?.resolve(m.outputs);
      else p?.reject(new Error(m.message));
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', () => this.failAll(new Error('the inference worker stopped')));
    // An idle worker must not keep the process alive (a command that forgot to close its models
    // would never end); one with runs in flight must, or awaiting them could end the process.
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
  }

  /** Starts the worker and opens the model in it; rejects with onnxruntime's message when it cannot. */
  static open(config: SessionConfig): Promise<WorkerSession> {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...config, ortPath: ORT_PATH } });
    return new Promise((resolve, reject) => {
      const onMessage = (m: Reply) => {
        worker.off('error', onError);
        if (m.kind === 'ready') resolve(new WorkerSession(worker, m.inputNames, m.outputNames));
        else {
          void worker.terminate();
          reject(new Error(m.kind === 'failed' ? m.message : `unexpected ${m.kind} from the worker`));
        }
      };
      const onError = (e: Error) => reject(e);
      worker.once('message', onMessage);
      worker.once('error', onError);
    });
  }

  run(feeds: Record<string, FeedTensor>): Promise<Record<string, OutputTensor>> {
    if (this.released) return Promise.reject(new Error('the session was released'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage(
        { kind: 'run', id, feeds },
        Object.values(feeds).map((t) => t.data.buffer as ArrayBuffer),
      );
    });
  }

  /** Frees the model and stops the worker; runs already asked for still finish first. */
  release(): Promise<void> {
    this.released ??= new Promise<void>((resolve) => {
      const onMessage = (m: Reply) => {
        if (m.kind !== 'released') return;
        this.worker.off('message', onMessage);
        void this.worker.terminate().then(() => resolve());
      };
      this.worker.ref();
      this.worker.on('message', onMessage);
      this.worker.postMessage({ kind: 'release' });
    });
    return this.released;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
