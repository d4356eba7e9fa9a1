// First-party tracking script: <script defer src="https://analytics.example/t.js" data-write-key="wk_..."></script>
// Sends Segment messages to the collector that served it. data-cookieless="false" keeps an
// anonymous id in localStorage; by default nothing is stored and the collector counts visitors
// by a daily-salted hash. Kept small (tested under 2 KB gzip): no dependencies, no build step.
(function (w, d) {
  var s = d.currentScript, key = s && s.getAttribute('data-write-key');
  if (!key || w.shop && w.shop.track) return;
  var api = s.getAttribute('data-api') || new URL(s.src).origin, loc = w.location, nav = w.navigator;
  var files = /\.(pdf|zip|gz|dmg|exe|msi|pkg|csv|xlsx?|docx?|pptx?|mp3|mp4|mov|apk|epub|txt|rar|7z)$/i;
  var id = function () { return Date.now().toString(36) + Math.random().toString(36).slice(2, 12); };
  var anon = null;
  if (s.getAttribute('data-cookieless') === 'false') {
    try { anon = localStorage.getItem('shop_aid') || id(); localStorage.setItem('shop_aid', anon); } catch { anon = id(); }
  }
  var last = null, referrer = d.referrer;

  function send(type, body) {
    var now = new Date().toISOString();
    body.type = type; body.messageId = id(); body.timestamp = now;
    if (anon) body.anonymousId = anon;
    body.context = {
      cookieless: !anon, library: { name: 'shop-t.js', version: '1' }, locale: nav.language,
      page: { path: loc.pathname, search: loc.search, url: loc.href, referrer: referrer, title: d.title },
      screen: { width: w.screen.width, height: w.screen.height }
    };
    // A batch of one: /v1/batch checks each event by itself, so a cookieless event (no ids) reaches the collector's visitor hashing.
    var url = api + '/v1/batch', data = JSON.stringify({ batch: [body], writeKey: key, sentAt: now });
    // text/plain keeps the request simple (no preflight); the collector reads JSON whatever the type.
    if (!(nav.sendBeacon && nav.sendBeacon(url, new Blob([data], { type: 'text/plain' })))) {
      fetch(url, { method: 'POST', body: data, keepalive: true, credentials: 'omit', headers: { 'content-type': 'text/plain' } }).catch(function () {});
    }
  }
  function page() {
    var here = loc.pathname + loc.search;
    if (here === last) return;
    if (last !== null) referrer = loc.origin + last;
    last = here;
    send('page', { properties: { path: loc.pathname, url: loc.href, referrer: referrer, title: d.title, search: loc.search } });
  }
  function track(name, props) { send('track', { event: String(name), properties: props || {} }); }

  var push = history.pushState;
  history.pushState = function () { var r = push.apply(this, arguments); page(); return r; };
  w.addEventListener('popstate', page);
  d.addEventListener('click', function (e) {
    var a = e.target && e.target.closest && e.target.closest('a[href]');
    if (!a) return;
    var u = new URL(a.href, loc.href);
    if (u.protocol.indexOf('http') !== 0) return;
    if (files.test(u.pathname)) track('File Downloaded', { url: u.href });
    else if (u.host !== loc.host) track('Outbound Link Clicked', { url: u.href });
  }, true);
  w.shop = { track: track, page: page };
  page();
})(window, document);
