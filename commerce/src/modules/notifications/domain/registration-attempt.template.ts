import { htmlLayout } from './email-layout.ts';
import { escapeHtml } from './html-escape.ts';
import type { RenderedEmail } from './rendered-email.ts';

/** To the owner of an account whose email someone tried to register again: nothing changed, and what to do if it was not them. */
export function renderRegistrationAttempt(data: { email: string }): RenderedEmail {
  const subject = 'Someone tried to register with your address';
  const text = [
    'Hello,',
    '',
    `someone tried to create a new account with ${data.email}, which already has an account with us.`,
    'Nothing was changed and no new account was created.',
    '',
    'If it was you: you already have an account; sign in, or reset your password if you forgot it.',
    'If it was not you: you need not do anything.',
  ].join('\n');
  const html = htmlLayout(
    subject,
    [
      '<p>Hello,</p>',
      `<p>someone tried to create a new account with <strong>${escapeHtml(data.email)}</strong>, which already has an account with us. Nothing was changed and no new account was created.</p>`,
      '<p>If it was you: you already have an account; sign in, or reset your password if you forgot it. If it was not you: you need not do anything.</p>',
    ].join('\n'),
  );
  return { subject, text, html };
}
