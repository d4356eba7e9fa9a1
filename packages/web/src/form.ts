import { html, type Html } from './html.ts';

export type FieldErrors = Record<string, string>;

interface FieldOptions {
  type?: string;
  value?: string;
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  inputmode?: string;
  maxlength?: number;
  /** The element id when one page has several forms with the same field names; `f-<name>` otherwise. */
  id?: string;
  min?: number;
  step?: string;
}

/** A labelled input whose error (from the API) sits next to it and is tied to it for screen readers. */
export function field(name: string, label: string, errors: FieldErrors, o: FieldOptions = {}): Html {
  const id = o.id ?? `f-${name}`;
  const error = errors[name];
  const described = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field ${error ? 'field-error' : ''}">
  <label for="${id}">${label}${o.required === false ? html` <span class="optional">(optional)</span>` : ''}</label>
  <input id="${id}" name="${name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}" ${o.autocomplete ? html`autocomplete="${o.autocomplete}"` : ''}
    ${o.required === false ? '' : 'required'} ${o.inputmode ? html`inputmode="${o.inputmode}"` : ''} maxlength="${o.maxlength ?? 200}" ${o.min !== undefined ? html`min="${o.min}"` : ''} ${o.step ? html`step="${o.step}"` : ''}
    ${described ? html`aria-describedby="${described}"` : ''} ${error ? html`aria-invalid="true"` : ''}>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
</div>`;
}

export function formAlert(message: string | undefined): Html {
  return message ? html`<div class="alert alert-error" role="alert" tabindex="-1" data-focus-first>${message}</div>` : html``;
}

/**
 * The API's validation answer as messages per form field: `body.shippingAddress.postalCode` becomes
 * `postalCode`. Messages start lower-case in the API ("must be ..."), so each gets its label in front.
 */
export function fieldErrorsFrom(details: unknown, labels: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  if (!Array.isArray(details)) return errors;
  for (const d of details as { field?: string; message?: string }[]) {
    const name = String(d.field ?? '').split('.').pop() ?? '';
    if (name && labels[name] && !errors[name]) errors[name] = `${labels[name]} ${d.message ?? 'is not valid'}`;
  }
  return errors;
}

/**
 * Field errors from any API refusal: schema failures list `{ field: 'body.sku', message }` in
 * `details`; domain refusals carry `details: { field: 'sku' }` and a message that starts `sku: `.
 * Anything not about a known field comes back as `form` (shown above the form).
 */
export function apiFieldErrors(error: { message: string; details?: unknown }, labels: Record<string, string>): { fields: FieldErrors; form?: string } {
  const fields = fieldErrorsFrom(error.details, labels);
  const single = error.details && !Array.isArray(error.details) ? String((error.details as { field?: unknown }).field ?? '') : '';
  if (single && labels[single] && !fields[single]) {
    fields[single] = `${labels[single]}: ${error.message.replace(new RegExp(`^${single}: `), '')}`;
  }
  return Object.keys(fields).length ? { fields } : { fields, form: error.message };
}
