#!/usr/bin/env node
/** `qa`: the command line. Errors the user can fix print one line and exit 2; bugs exit 1. */
import { Command, CommanderError, Option } from 'commander';
import { QaError } from '../core/errors.js';
import { registerAsk } from './ask.js';
import { registerChat } from './chat.js';
import { parseIntOption } from './context.js';
import { registerDocs } from './docs.js';
import { registerEvalDemo } from './eval-demo.js';
import { registerEvalDialogues } from './eval-dialogues.js';
import { registerEvalKbqa } from './eval-kbqa.js';
import { registerEvalMetaqa } from './eval-metaqa.js';
import { registerEvalOpen } from './eval-open.js';
import { registerEvalRetrieval } from './eval-retrieval.js';
import { registerEvalRouting } from './eval-routing.js';
import { registerEvalSemeval, registerEvalStackFaq } from './eval-semeval.js';
import { registerEvalSquad } from './eval-squad.js';
import { registerFeedback } from './feedback.js';
import { registerIngest, registerInit } from './ingest.js';
import { registerModels } from './models.js';
import { registerServe } from './serve.js';
import { registerTrain } from './train.js';

export function buildProgram(): Command {
  const program = new Command('qa')
    .description('question answering over knowledge bases, documents and community archives')
    .option('--config <file>', 'configuration file (default: ./qa.config.json if present)')
    .option('--models-dir <dir>', 'folder of models (default: the bundled models/)')
    .option('--reader <name>', 'reader model to use (default: from config, else the first installed)')
    .option('--encoder <name>', 'sentence encoder for dense retrieval (default: from config, else the first)')
    .option('--workspace <dir>', 'folder of the stores and indexes (default: ./var)')
    .addOption(new Option('--threads <n>', 'ONNX threads per session').argParser(parseIntOption('--threads')))
    .exitOverride();
  registerAsk(program);
  registerChat(program);
  registerDocs(program);
  registerFeedback(program);
  registerIngest(program);
  registerInit(program);
  registerModels(program);
  registerServe(program);
  registerTrain(program);
  const evalCmd = program.command('eval').description('evaluate on benchmark files');
  registerEvalSquad(evalCmd);
  registerEvalMetaqa(evalCmd);
  registerEvalKbqa(evalCmd);
  registerEvalRetrieval(evalCmd);
  registerEvalSemeval(evalCmd);
  registerEvalStackFaq(evalCmd);
  registerEvalRouting(evalCmd);
  registerEvalDemo(evalCmd);
  registerEvalDialogues(evalCmd);
  registerEvalOpen(evalCmd);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof QaError) {
      process.stderr.write(`error: ${e.describe()}\n`);
      return 2;
    }
    process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
