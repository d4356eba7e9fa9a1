/**
 * Destructive forms (`data-confirm="Delete this product?"`) ask first in a modal dialog: focus
 * moves to Cancel, Escape cancels, and only "Yes" submits, with `confirm=yes`. Without JavaScript
 * the server asks the same question on a page of its own.
 */
export function confirmDestructive(): void {
  const forms = document.querySelectorAll<HTMLFormElement>('form[data-confirm]');
  if (forms.length === 0) return;
  const dialog = document.createElement('dialog');
  dialog.className = 'confirm';
  dialog.setAttribute('aria-labelledby', 'confirm-title');
  dialog.innerHTML = `<form method="dialog"><h2 id="confirm-title">Are you sure?</h2><p data-confirm-text></p>
<div class="actions"><button class="button" value="cancel" autofocus>Cancel</button><button class="button button-danger" value="yes">Yes, do it</button></div></form>`;
  document.body.append(dialog);
  let pending: HTMLFormElement | null = null;
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'yes' && pending) {
      pending.dataset.confirmed = 'true';
      const yes = Object.assign(document.createElement('input'), { type: 'hidden', name: 'confirm', value: 'yes' });
      pending.append(yes);
      pending.requestSubmit();
    }
    pending = null;
  });
  for (const form of forms) {
    form.addEventListener('submit', (event) => {
      if (form.dataset.confirmed === 'true') return;
      event.preventDefault();
      pending = form;
      dialog.querySelector('[data-confirm-text]')!.textContent = form.dataset.confirm ?? '';
      dialog.returnValue = '';
      dialog.showModal();
    });
  }
}
