// Sends the basemap archive as the raw body of PUT /api/admin/basemap with
// XMLHttpRequest, the one browser API that reports upload progress (fetch
// does not). The file goes as it is (a Blob): the browser streams it from disk.
import type { BasemapArchiveDetails } from '@/lib/model';

/** The server's own message for a refusal ({ error: { message } }), or the status line. */
function refusal(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch (err) {
    console.error('[basemap] the refusal was not JSON', err);
  }
  return `HTTP ${xhr.status} ${xhr.statusText}`.trim();
}

export function uploadBasemap(file: File, onProgress: (fraction: number) => void): Promise<BasemapArchiveDetails> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/admin/basemap?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/vnd.pmtiles');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status !== 200) {
        reject(new Error(refusal(xhr)));
        return;
      }
      resolve((JSON.parse(xhr.responseText) as { archive: BasemapArchiveDetails }).archive);
    };
    xhr.onerror = () => reject(new Error('the upload was interrupted (network error)'));
    xhr.send(file);
  });
}
