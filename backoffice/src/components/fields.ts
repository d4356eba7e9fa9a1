import { html, type FieldErrors, type Html } from '@shop/web';

/** A labelled textarea with its API error tied to it, like `field` for inputs. */
export function textArea(name: string, label: string, errors: FieldErrors, o: { id: string; value?: string; maxlength?: number; hint?: string }): Html {
  const error = errors[name];
  const described = [o.hint ? `${o.id}-hint` : '', error ? `${o.id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field ${error ? 'field-error' : ''}">
  <label for="${o.id}">${label} <span class="optional">(optional)</span></label>
  <textarea id="${o.id}" name="${name}" maxlength="${o.maxlength ?? 20000}" ${described ? html`aria-describedby="${described}"` : ''} ${error ? html`aria-invalid="true"` : ''}>${o.value ?? ''}</textarea>
  ${o.hint ? html`<p class="hint" id="${o.id}-hint">${o.hint}</p>` : ''}
  ${error ? html`<p class="error" id="${o.id}-error">${error}</p>` : ''}
</div>`;
}

/** A labelled select; `choices` are [value, label] pairs. */
export function selectField(name: string, label: string, errors: FieldErrors, o: { id: string; value?: string; choices: [string, string][] }): Html {
  const error = errors[name];
  return html`<div class="field ${error ? 'field-error' : ''}">
  <label for="${o.id}">${label}</label>
  <select id="${o.id}" name="${name}" ${error ? html`aria-invalid="true" aria-describedby="${o.id}-error"` : ''}>
    ${o.choices.map(([value, text]) => html`<option value="${value}" ${value === (o.value ?? '') ? 'selected' : ''}>${text}</option>`)}
  </select>
  ${error ? html`<p class="error" id="${o.id}-error">${error}</p>` : ''}
</div>`;
}

/**
 * A form that changes the shop: POST and the CSRF token. A destructive one names its question in
 * `data-confirm`: the island asks it in a dialog and adds `confirm=yes`; without JavaScript the
 * server asks it on a page of its own (confirmPage) before doing anything.
 */
export function actionForm(action: string, csrf: string, body: Html, o: { confirm?: string; className?: string; label?: string } = {}): Html {
  return html`<form method="post" action="${action}" class="${o.className ?? ''}" ${o.confirm ? html`data-confirm="${o.confirm}"` : ''} ${o.label ? html`aria-label="${o.label}"` : ''}>
  <input type="hidden" name="_csrf" value="${csrf}">
  ${body}
</form>`;
}
