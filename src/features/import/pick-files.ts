// Turns what the user dropped or picked into files with paths: folders are walked recursively through
// `webkitGetAsEntry()`, so `shop/orders.csv` keeps its folder; zips pass through whole (the worker unpacks).
import type { PickedFile } from '../../lib/inventory-client.ts';

/** Files picked with `<input type=file>` (with `webkitdirectory`, `webkitRelativePath` carries the folder). */
export function pickedFromFileList(list: FileList | File[]): PickedFile[] {
  return sortPicked(Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file })));
}

/** Collects every file of a drop, walking dropped folders; plain files keep their name as path. */
export async function pickedFromDataTransfer(dt: DataTransfer): Promise<PickedFile[]> {
  // Entries must be taken synchronously: the DataTransfer is emptied once the drop handler yields.
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (entries.length === 0 && loose.length === 0) return pickedFromFileList(dt.files);
  const out: PickedFile[] = loose.map((file) => ({ path: file.name, file }));
  for (const entry of entries) await walkEntry(entry, '', out);
  return sortPicked(out);
}

async function walkEntry(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const path = prefix + entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    if (!isHidden(entry.name)) out.push({ path, file });
    return;
  }
  if (entry.isDirectory) {
    for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walkEntry(child, `${path}/`, out);
  }
}

/** `readEntries` returns at most ~100 entries per call: keep calling until it returns none. */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** OS litter (`.DS_Store`, `__MACOSX`, `Thumbs.db`) is not data. */
function isHidden(name: string): boolean {
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini';
}

function sortPicked(files: PickedFile[]): PickedFile[] {
  return files.filter((f) => !f.path.split('/').some(isHidden)).sort((a, b) => a.path.localeCompare(b.path));
}

