import { confirmDestructive } from './confirm.ts';
import { imageUpload } from './image-upload.ts';

/** Small islands over server-rendered screens: each finds its elements or does nothing. */
function start() {
  confirmDestructive();
  imageUpload();
  for (const control of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-autosubmit]')) {
    control.addEventListener('change', () => control.form?.requestSubmit());
  }
  document.querySelector<HTMLElement>('[data-focus-first]')?.focus();
}

start();
