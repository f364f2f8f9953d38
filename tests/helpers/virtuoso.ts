/**
 * A real Virtuoso server for the scale-out tests: Debian's virtuoso-opensource, started on free
 * loopback ports with a fresh database in a temporary folder, SPARQL updates granted.
 * .ci/run installs the package and sets QA_REQUIRE_VIRTUOSO=1, so CI never skips these tests.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = '/usr/bin/virtuoso-t';

export interface Virtuoso {
  sparqlUrl: string;
  stop(): Promise<void>;
}

export function virtuosoAvailable(): boolean {
  if (existsSync(BINARY)) return true;
  if (process.env.QA_REQUIRE_VIRTUOSO) throw new Error(`${BINARY} is missing but QA_REQUIRE_VIRTUOSO is set`);
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startVirtuoso(): Promise<Virtuoso> {
  const dir = mkdtempSync(join(tmpdir(), 'qa-virtuoso-'));
  const [sqlPort, httpPort] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'virtuoso.ini'),
    `[Database]
DatabaseFile = ${dir}/virtuoso.db
ErrorLogFile = ${dir}/virtuoso.log
LockFile = ${dir}/virtuoso.lck
TransactionFile = ${dir}/virtuoso.trx
xa_persistent_file = ${dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = ${dir}/virtuoso-temp.db
TransactionFile = ${dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:${sqlPort}
DisableUnixSocket = 1
DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
[HTTPServer]
ServerPort = 127.0.0.1:${httpPort}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
`,
  );
  const proc: ChildProcess = spawn(BINARY, ['-f', '-c', join(dir, 'virtuoso.ini')], {
    cwd: dir,
    stdio: 'ignore',
  });
  const sparqlUrl = `http://127.0.0.1:${httpPort}/sparql`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const res = await fetch(`${sparqlUrl}?query=${encodeURIComponent('ASK {}')}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill('SIGKILL');
      throw new Error(`Virtuoso did not start (see ${dir}/virtuoso.log)`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  execFileSync('isql-vt', [String(sqlPort), 'dba', 'dba', 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'], {
    stdio: 'ignore',
  });
  return {
    sparqlUrl,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      if (proc.exitCode === null) proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
