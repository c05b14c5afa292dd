// Turns CLI path arguments (folders, zips, files) into SourceFiles, with folder-relative paths.
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { StocktakeError } from '../core/errors.ts';
import type { SourceFile } from '../core/ingest/source.ts';

function sourceFromPath(absPath: string, path: string): SourceFile {
  const size = statSync(absPath).size;
  return {
    path,
    size,
    bytes: async () => new Uint8Array(readFileSync(absPath)),
    stream: () => Readable.toWeb(createReadStream(absPath, { highWaterMark: 1 << 20 })) as unknown as ReadableStream<Uint8Array>,
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** A folder contributes its files as `folder/relative/path`; files and zips keep their own name. */
export function loadSourcesFromArgs(paths: string[]): SourceFile[] {
  if (paths.length === 0) throw new StocktakeError('BAD_ARGUMENT', 'No input given: pass a folder, a .zip or files.');
  const out: SourceFile[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new StocktakeError('BAD_ARGUMENT', `No such file or folder: ${p}`);
    }
    if (st.isDirectory()) {
      const root = basename(abs);
      for (const f of walk(abs)) out.push(sourceFromPath(f, `${root}/${relative(abs, f).split('\\').join('/')}`));
    } else {
      out.push(sourceFromPath(abs, basename(abs)));
    }
  }
  return out;
}
