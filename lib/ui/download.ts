/** Saves text as a file through the page (no "downloads" permission needed). */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "cookie-lens-amex.europ-assistance.fr-2026-11-24": safe in any file system. */
export function fileStem(site: string, at: number): string {
  return `cookie-lens-${site.replace(/[^a-z0-9.-]+/gi, '_')}-${new Date(at).toISOString().slice(0, 10)}`;
}
