// The input side of an import: a file as the core sees it, independent of browser File or Node fs.

/**
 * One input file. A browser `File` satisfies it with `{ path: file.webkitRelativePath || file.name,
 * size: file.size, blob: file }`; the CLI builds it from fs.
 */
export interface SourceFile {
  /** Path inside the import (folder-relative, or the entry name inside a zip). */
  path: string;
  size: number;
  /** Reads the whole file. */
  bytes(): Promise<Uint8Array>;
  /** Streams the file in chunks (for transcoding and progress without one giant buffer). */
  stream(): ReadableStream<Uint8Array>;
  /** The browser Blob behind it, when there is one (lets the engine read it by handle). */
  blob?: Blob;
}

/** Wraps a Blob/File as a SourceFile. */
export function sourceFromBlob(path: string, blob: Blob): SourceFile {
  return {
    path,
    size: blob.size,
    bytes: async () => new Uint8Array(await blob.arrayBuffer()),
    stream: () => blob.stream() as ReadableStream<Uint8Array>,
    blob,
  };
}

/** Wraps bytes already in memory (zip entries, XLSX sheets, tests) as a SourceFile. */
export function sourceFromBytes(path: string, data: Uint8Array): SourceFile {
  return {
    path,
    size: data.byteLength,
    bytes: async () => data,
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const step = 1 << 20;
          for (let i = 0; i < data.byteLength; i += step) controller.enqueue(data.subarray(i, i + step));
          controller.close();
        },
      }),
  };
}
