/**
 * What the reader benches share: their command-line options, and the SQuAD questions and reader
 * models they run over.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/core/config.js';
import { loadSquad, type SquadQuestion } from '../src/core/squad-data.js';
import type { ReaderEntry } from '../src/models/manifest.js';
import { ModelRegistry } from '../src/models/registry.js';

export interface ReaderBench {
  data: string;
  modelsDir: string;
  questions: SquadQuestion[];
  readers: ReaderEntry[];
  threads: number[];
  /** How many times `reader-ratio.ts` runs every reader in turn. */
  rounds: number;
}

/** Parses `--data --limit --models-dir --model ... --threads a,b --rounds R` (threads default as given). */
export function readerBenchSetup(defaultThreads: string): ReaderBench {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/data/squad/dev-v1.1.public.json' },
      limit: { type: 'string', default: '300' },
      'models-dir': { type: 'string' },
      model: { type: 'string', multiple: true },
      threads: { type: 'string', default: defaultThreads },
      rounds: { type: 'string', default: '5' },
    },
  });
  const { modelsDir } = loadConfig({ flags: { modelsDir: values['models-dir'] } });
  const readers = new ModelRegistry(modelsDir)
    .scan()
    .models.filter((m): m is ReaderEntry => m.manifest.task === 'reader')
    .filter((m) => !values.model || values.model.includes(m.manifest.name));
  return {
    data: values.data,
    modelsDir,
    questions: loadSquad(values.data).questions.slice(0, Number(values.limit)),
    readers,
    threads: values.threads.split(',').map(Number),
    rounds: Number(values.rounds),
  };
}
