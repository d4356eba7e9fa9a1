/**
 * Product image upload: the picked file's bytes go to the API (through this origin's proxy) with
 * the session's CSRF token; the page then reloads with the new image. The API's refusal (type,
 * size) is shown next to the field.
 */
export function imageUpload(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-image-upload]');
  if (!form) return;
  const input = form.querySelector<HTMLInputElement>('input[type=file]')!;
  const error = form.querySelector<HTMLElement>('[data-upload-error]')!;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = input.files?.[0];
    error.hidden = true;
    if (!file) {
      error.textContent = 'Choose an image file first.';
      error.hidden = false;
      return;
    }
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('csrf_token='))?.slice('csrf_token='.length) ?? '';
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    button.disabled = true;
    try {
      const res = await fetch(form.dataset.imageUpload!, {
        method: 'POST',
        headers: { 'content-type': file.type || 'application/octet-stream', 'x-csrf-token': decodeURIComponent(csrf) },
        body: file,
      });
      if (res.ok) {
        location.assign(`${location.pathname}?done=${encodeURIComponent('Image uploaded')}#images`);
        return;
      }
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      error.textContent = body.message ?? `The upload failed (${res.status}).`;
    } catch {
      error.textContent = 'The upload failed: the network is unreachable.';
    } finally {
      button.disabled = false;
    }
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  });
}
