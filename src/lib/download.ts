// Offers data to the user as a file download (exports, models, logs): the one place that touches
// object URLs and a temporary link.

/** Saves `data` as `name` (characters file systems reject become `_`). */
export function offerDownload(data: Blob | Uint8Array | string, name: string, type: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name.replace(/[\\/:*?"<>|\s]+/g, '_');
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start reading the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
