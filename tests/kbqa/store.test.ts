import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SparqlEndpointStore } from '../../src/kbqa/endpoint-store.js';
import { OxigraphStore } from '../../src/kbqa/oxigraph-store.js';
import { parseFormat, sourceFor } from '../../src/kbqa/rdf-files.js';

const dir = mkdtempSync(join(tmpdir(), 'qa-kb-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const good = file('good.ttl', '@prefix ex: <http://ex.org/> .\nex:a ex:p "one" .\nex:b ex:p "two" .\n');
const bad = file('bad.ttl', '@prefix ex: <http://ex.org/> .\nex:c ex:p "three" .\nex:d ex:p "four\n');

describe('OxigraphStore loading', () => {
  it('loads Turtle, N-Triples, JSON-LD and MetaQA files', async () => {
    const s = new OxigraphStore();
    const nt = file('x.nt', '<http://ex.org/n> <http://ex.org/p> "nt" .\n');
    const jl = file('x.jsonld', '{"@id": "http://ex.org/j", "http://ex.org/p": "jsonld"}');
    const mq = file('x.txt', 'Film|directed_by|Someone\n');
    const r = await s.load([sourceFor(good), sourceFor(nt), sourceFor(jl), sourceFor(mq, 'metaqa')]);
    expect(r).toMatchObject({ files: 4, triples: 2 + 1 + 1 + 3 });
    expect(await s.size()).toBe(7);
  });

  it('loads nothing when any file is malformed, and says file:line:column', async () => {
    const s = new OxigraphStore();
    await s.load([sourceFor(good)]);
    await expect(s.load([sourceFor(good), sourceFor(bad)])).rejects.toMatchObject({
      code: 'bad_input',
      where: expect.stringMatching(new RegExp(`^${bad}:3:\\d+$`)),
    });
    expect(await s.size()).toBe(2);
  });

  it('names the line of a malformed MetaQA triple', async () => {
    const mq = file('bad.txt', 'A|directed_by|B\nno relation here\n');
    await expect(new OxigraphStore().load([sourceFor(mq, 'metaqa')])).rejects.toMatchObject({
      where: `${mq}:2:1`,
    });
  });

  it('rejects unknown formats and names without an extension it knows', () => {
    expect(() => parseFormat('csv')).toThrow(/unknown RDF format "csv"/);
    expect(() => sourceFor(join(dir, 'data.bin'))).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('persists to its dump file, so a restart has the same triples', async () => {
    const dump = join(dir, 'ws', 'kb.nq');
    await new OxigraphStore(dump).load([sourceFor(good)]);
    const again = new OxigraphStore(dump);
    expect(await again.size()).toBe(2);
    expect((await again.select('SELECT ?o WHERE { <http://ex.org/a> ?p ?o }'))[0]?.o?.value).toBe('one');
  });
});

describe('SparqlEndpointStore errors', () => {
  const servers: Server[] = [];
  const serve = (handler: Parameters<typeof createServer>[1]): Promise<string> =>
    new Promise((resolve) => {
      const srv = createServer(handler);
      servers.push(srv);
      srv.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/sparql`),
      );
    });
  afterAll(() => {
    for (const s of servers) s.close();
  });

  it('reports an endpoint that is down after retrying', async () => {
    const url = await serve(() => {});
    servers.pop()?.close();
    await new Promise((r) => setTimeout(r, 50));
    const store = new SparqlEndpointStore({ queryUrl: url, retries: 1 });
    await expect(store.select('SELECT * WHERE { ?s ?p ?o }')).rejects.toMatchObject({
      code: 'unavailable',
      where: url,
    });
  });

  it('times out a query that takes too long', async () => {
    const url = await serve(() => {});
    const store = new SparqlEndpointStore({ queryUrl: url, timeoutMs: 200 });
    await expect(store.ask('ASK {}')).rejects.toMatchObject({ code: 'timeout' });
  });

  it('passes on the endpoint error message and status', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('SPARQL compiler: syntax error at line 1');
    });
    await expect(new SparqlEndpointStore({ queryUrl: url }).select('SELECT')).rejects.toThrow(
      /answered 400: SPARQL compiler: syntax error/,
    );
  });
});
