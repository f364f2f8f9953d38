/**
 * The documents as people browse them: what questions can be restricted to (sources, tags,
 * dates: the UI's filter chips), and a source's file, so a citation opens the PDF at its page.
 * A file is served only if it was ingested from disk (or uploaded) and still lies, links
 * resolved, inside the folder it was ingested from.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, sep } from 'node:path';
import type { Express } from 'express';
import type { Db } from '../core/database.js';
import { DocStore, SERVED_FORMATS, type ServedFormat } from '../retrieval/doc-store.js';
import { HttpError, parseInput } from './errors.js';
import { docFileQuery } from './schemas.js';

/** How each served format is sent; HTML runs sandboxed, so a page's scripts never run here. */
const SEND: Record<ServedFormat, { type: string; download?: true; sandbox?: true }> = {
  pdf: { type: 'application/pdf' },
  docx: {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    download: true,
  },
  html: { type: 'text/html; charset=utf-8', sandbox: true },
  markdown: { type: 'text/plain; charset=utf-8' },
  text: { type: 'text/plain; charset=utf-8' },
};

function isServed(format: string): format is ServedFormat {
  return (SERVED_FORMATS as readonly string[]).includes(format);
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

export function registerDocs(app: Express, db: Db): void {
  const store = new DocStore(db);

  app.get('/api/docs', (_req, res) => {
    res.json({
      sources: store.sources().map((s) => ({ ...s, name: basename(s.source) })),
      ...store.facets(),
    });
  });

  app.get('/api/docs/file', (req, res, next) => {
    const { source } = parseInput(docFileQuery, req.query, 'query');
    const stamp = store.fileStamp(source);
    const send = stamp && isServed(stamp.format) ? SEND[stamp.format] : undefined;
    if (!stamp || !send) {
      throw new HttpError(404, 'not_found', 'no file is served for this source', 'source');
    }
    let path: string;
    try {
      path = realpathSync(stamp.path);
      if (!statSync(path).isFile()) throw new Error('not a file');
    } catch {
      throw new HttpError(404, 'not_found', 'the file is gone from where it was ingested', 'source');
    }
    // The root was resolved when the file was ingested; a link added since cannot widen it.
    if (!inside(path, stamp.root)) {
      throw new HttpError(
        403,
        'forbidden',
        'the file now lies outside the folder it was ingested from',
        'source',
      );
    }
    const name = basename(stamp.path).replace(/["\\\r\n]/g, '_');
    res.set({
      'Content-Type': send.type,
      'Content-Disposition': `${send.download ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
    // The browser's PDF viewer does not run under the UI's policy (object-src 'none').
    if (stamp.format === 'pdf') res.removeHeader('Content-Security-Policy');
    if (send.sandbox)
      res.set(
        'Content-Security-Policy',
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      );
    res.sendFile(path, { dotfiles: 'allow' }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });
}
