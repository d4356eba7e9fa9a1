import { html, type Html } from '@shop/web';
import { dateTime } from '../components/money.ts';
import type { Page } from '../server/view.ts';

/** The three operations screens share a heading and links to each other. */
const tabs = (here: string): Html => html`<nav class="tabs" aria-label="Operations">${[
  ['/operations/dead-letters', 'Dead letters'],
  ['/operations/mail', 'Captured mail'],
  ['/operations/health', 'Engines'],
].map(([href, label]) => html`<a href="${href}" ${href === here ? html`aria-current="page"` : ''}>${label}</a>`)}</nav>`;

interface DeadLetter {
  id: number;
  eventType: string;
  subscriber: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  payload: unknown;
}

export function deadLettersPage(d: {
  locale: string;
  csrf: string;
  deliveries: DeadLetter[];
  /** The id to page from for older ones; null on the last page. */
  older: number | null;
  later: boolean;
  flash?: string | undefined;
  error?: string | undefined;
}): Page {
  return {
    title: 'Dead letters',
    flash: d.flash,
    body: html`<div class="page-head"><h1>Operations</h1></div>${tabs('/operations/dead-letters')}
${d.error ? html`<div class="alert alert-error" role="alert">${d.error}</div>` : ''}
<section class="card" aria-labelledby="dead-title">
  <div class="card-head"><h2 id="dead-title">Dead letters</h2><p class="muted">Deliveries that ran out of attempts. Handlers are idempotent: replaying one has one effect.</p></div>
  ${
    d.deliveries.length
      ? html`<form method="post" action="/operations/dead-letters/replay"><input type="hidden" name="_csrf" value="${d.csrf}">
  <div class="table-wrap"><table class="table">
    <thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">Event</th><th scope="col">Subscriber</th><th scope="col" class="num">Attempts</th><th scope="col">Last error</th><th scope="col">Since</th><th scope="col"><span class="visually-hidden">Replay</span></th></tr></thead>
    <tbody>${d.deliveries.map(
      (x) => html`<tr><td><input type="checkbox" name="ids" value="${x.id}" id="dl-${x.id}" aria-label="Select delivery ${x.id}"></td>
      <td><code>${x.eventType}</code><details><summary>Payload</summary><pre class="json" tabindex="0">${JSON.stringify(x.payload, null, 2)}</pre></details></td><td>${x.subscriber}</td><td class="num">${x.attempts}</td>
      <td class="error-text">${x.lastError ?? '—'}</td><td>${dateTime(x.createdAt, d.locale)}</td>
      <td><button class="button button-small" type="submit" name="only" value="${x.id}">Replay<span class="visually-hidden"> delivery ${x.id}</span></button></td></tr>`,
    )}</tbody></table></div>
  <p><button class="button button-primary" type="submit">Replay selected</button></p>
</form>`
      : html`<p class="empty-note">No dead letters: every delivery went through.</p>`
  }
  ${
    d.older || d.later
      ? html`<nav class="pager" aria-label="Pages"><span>${d.later ? html`<a class="button" href="/operations/dead-letters">← Newest</a>` : ''}</span>
  <span>${d.older ? html`<a class="button" href="/operations/dead-letters?before=${d.older}" rel="next">Older →</a>` : html`<span class="muted">End of the list</span>`}</span></nav>`
      : ''
  }
</section>`,
  };
}

export function mailListPage(d: { locale: string; messages: Array<{ id: string; to: string[]; subject: string; date: string }>; disabled?: string | undefined }): Page {
  return {
    title: 'Captured mail',
    body: html`<div class="page-head"><h1>Operations</h1></div>${tabs('/operations/mail')}
<section class="card" aria-labelledby="mail-title">
  <div class="card-head"><h2 id="mail-title">Captured mail</h2><p class="muted">What the embedded mailer would have sent, newest first</p></div>
  ${
    d.disabled
      ? html`<p class="empty-note">${d.disabled}</p>`
      : d.messages.length
        ? html`<div class="table-wrap"><table class="table"><thead><tr><th scope="col">Subject</th><th scope="col">To</th><th scope="col">Date</th></tr></thead>
  <tbody>${d.messages.map(
    (mm) => html`<tr><td class="name"><a href="/operations/mail/${mm.id}">${mm.subject}</a></td><td>${mm.to.join(', ')}</td><td>${dateTime(mm.date, d.locale)}</td></tr>`,
  )}</tbody></table></div>`
        : html`<p class="empty-note">No mail captured yet.</p>`
  }
</section>`,
  };
}

export function mailPage(d: { locale: string; message: { id: string; to: string[]; subject: string; date: string; text: string } }): Page {
  const mm = d.message;
  return {
    title: mm.subject,
    body: html`<p class="breadcrumb"><a href="/operations/mail">Captured mail</a> / ${mm.subject}</p>
<div class="page-head"><div><h1>${mm.subject}</h1><p class="muted">To ${mm.to.join(', ')} · ${dateTime(mm.date, d.locale)}</p></div></div>
<section class="card" aria-labelledby="html-title">
  <h2 id="html-title">As the customer sees it</h2>
  <iframe class="mail-frame" sandbox="" src="/operations/mail/${mm.id}/content" title="The email's HTML, rendered without scripts" referrerpolicy="no-referrer"></iframe>
</section>
<section class="card" aria-labelledby="text-title"><h2 id="text-title">Plain text part</h2><pre class="json" tabindex="0">${mm.text}</pre></section>`,
  };
}

interface Health {
  status: string;
  checkedAt: string;
  engines: Array<{ name: string; engine: string; ok: boolean; latencyMs: number | null; error: string | null }>;
  bus: { pending: number; processing: number; dead: number; oldestPendingAgeSeconds: number; subscribers: Array<{ subscriber: string; pending: number; processing: number; done: number; dead: number; oldestPendingAgeSeconds: number }> };
  relay: { enabled: boolean; eventTypes: string[]; backlog: { pending: number; dead: number } | null };
  inbound: { enabled: boolean; eventTypes: string[] };
}

const okBadge = (ok: boolean, yes = 'up', no = 'down') => html`<span class="badge ${ok ? 'badge-ok' : 'badge-danger'}">${ok ? yes : no}</span>`;

export function healthPage(d: { locale: string; health: Health }): Page {
  const h = d.health;
  return {
    title: 'Engines',
    body: html`<div class="page-head"><h1>Operations</h1></div>${tabs('/operations/health')}
<section class="tiles" aria-label="Summary">
  <div class="tile"><p class="tile-label">Overall</p><p class="tile-value">${h.status}</p><p class="tile-note">checked ${dateTime(h.checkedAt, d.locale)}</p></div>
  <div class="tile"><p class="tile-label">Pending deliveries</p><p class="tile-value">${h.bus.pending}</p><p class="tile-note">oldest ${Math.round(h.bus.oldestPendingAgeSeconds)} s</p></div>
  <div class="tile"><p class="tile-label">Dead letters</p><p class="tile-value">${h.bus.dead}</p><p class="tile-note"><a href="/operations/dead-letters">review and replay</a></p></div>
</section>
<section class="card" aria-labelledby="engines-title"><h2 id="engines-title">Engines</h2>
<div class="table-wrap"><table class="table"><thead><tr><th scope="col">For</th><th scope="col">Engine</th><th scope="col">State</th><th scope="col" class="num">Answer time</th><th scope="col">Error</th></tr></thead>
<tbody>${h.engines.map(
  (e) => html`<tr><td>${e.name}</td><td>${e.engine}</td><td>${okBadge(e.ok)}</td><td class="num">${e.latencyMs === null ? '—' : `${e.latencyMs} ms`}</td><td>${e.error ?? '—'}</td></tr>`,
)}
<tr><td>event relay</td><td>NATS JetStream</td><td>${okBadge(h.relay.enabled, 'on', 'off')}</td><td class="num">—</td><td>${h.relay.enabled ? `${h.relay.eventTypes.length} event types out, ${h.relay.backlog?.pending ?? 0} waiting` : 'not configured'}</td></tr>
<tr><td>event inbound</td><td>NATS JetStream</td><td>${okBadge(h.inbound.enabled, 'on', 'off')}</td><td class="num">—</td><td>${h.inbound.enabled ? `${h.inbound.eventTypes.length} event types in` : 'not configured'}</td></tr>
</tbody></table></div></section>
<section class="card" aria-labelledby="bus-title"><h2 id="bus-title">Event bus by subscriber</h2>
<div class="table-wrap"><table class="table"><thead><tr><th scope="col">Subscriber</th><th scope="col" class="num">Pending</th><th scope="col" class="num">In flight</th><th scope="col" class="num">Done</th><th scope="col" class="num">Dead</th></tr></thead>
<tbody>${h.bus.subscribers.map(
  (s) => html`<tr><td>${s.subscriber}</td><td class="num">${s.pending}</td><td class="num">${s.processing}</td><td class="num">${s.done}</td><td class="num">${s.dead ? html`<span class="badge badge-danger">${s.dead}</span>` : 0}</td></tr>`,
)}</tbody></table></div></section>`,
  };
}
