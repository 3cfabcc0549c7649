'use strict';
// Unit tests of the browser tracker, run by `node --test` in the ingest-service build.
// The tracker gets its clock, timers, storage, fetch and sendBeacon from an environment, so these
// tests drive time by hand and see every request it makes.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const ff = require(path.join(__dirname, '../../main/resources/tracker/funnelflow.js'));

const START = Date.parse('2026-11-22T10:00:00Z');
const MINUTE = 60 * 1000;

function memoryStorage(initial) {
  const map = new Map(Object.entries(initial || {}));
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    removeItem: (k) => map.delete(k),
    map
  };
}

/** A hand-driven environment: advance(ms) moves the clock and runs the timers that fall due. */
function fakeEnv(options) {
  const o = options || {};
  let now = START;
  let seq = 0;
  let timers = [];
  const requests = [];
  const beacons = [];
  const responses = o.responses || [];
  const env = {
    storage: o.storage || memoryStorage(),
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn, id: ++seq };
      timers.push(t);
      return t.id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    fetch: (url, init) => {
      requests.push({ url, init, body: JSON.parse(init.body), at: now });
      const next = responses.length > 0 ? responses.shift() : { status: 200 };
      if (next.networkError) {
        return Promise.reject(new TypeError('Failed to fetch'));
      }
      const headers = next.headers || {};
      return Promise.resolve({ status: next.status, headers: { get: (h) => headers[h] || null } });
    },
    sendBeacon: (url, data) => {
      beacons.push({ url, body: JSON.parse(data) });
      return o.beaconAccepts !== false;
    },
    location: o.location || { href: 'https://shop.example/', search: '' },
    referrer: o.referrer,
    userAgent: o.userAgent || 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36',
    screenWidth: o.screenWidth || 1920,
    maxTouchPoints: 0,
    randomUUID: o.noRandomUUID ? null : () => 'id-' + (++seq),
    random: () => 1, // no jitter: backoff delays are exact
    log: () => {}
  };
  return {
    env,
    requests,
    beacons,
    timers: () => timers.map((t) => t.at - now).sort((a, b) => a - b),
    setNow: (ms) => { now = ms; },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await settle();
        timers.sort((a, b) => a.at - b.at);
        const due = timers.find((t) => t.at <= until);
        if (!due) {
          break;
        }
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = until;
      await settle();
    }
  };
}

async function settle() {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const CONFIG = { writeKey: 'wk-1', endpoint: 'https://ingest.example/', batchSize: 3, flushInterval: 5000 };

test('events wait in the queue until the flush interval, then go in one batch with the write key in the body', async () => {
  const f = fakeEnv();
  const t = ff.createTracker(f.env, CONFIG);
  t.track('product_view', { product_id: 'p-1', product_name: 'Socks', price: 9.5, color: 'red' });
  t.track('add_to_cart', { productId: 'p-1', quantity: 2, price: 9.5, currency: 'EUR' });
  assert.equal(f.requests.length, 0);
  assert.equal(t.queued().length, 2);

  await f.advance(4999);
  assert.equal(f.requests.length, 0);
  await f.advance(1);
  assert.equal(f.requests.length, 1);
  const r = f.requests[0];
  assert.equal(r.url, 'https://ingest.example/api/batch');
  assert.equal(r.init.method, 'POST');
  // text/plain and no Authorization header: a CORS "simple" request, no preflight
  assert.equal(r.init.headers['Content-Type'], 'text/plain;charset=UTF-8');
  assert.equal(r.init.headers.Authorization, undefined);
  assert.equal(r.body.write_key, 'wk-1');
  assert.deepEqual(r.body.events.map((e) => e.event_type), ['product_view', 'add_to_cart']);
  const [view, add] = r.body.events;
  assert.equal(view.product_id, 'p-1');
  assert.equal(view.product_name, 'Socks');
  assert.equal(view.price, 9.5);
  assert.deepEqual(view.metadata, { color: 'red' });
  assert.equal(add.product_id, 'p-1');
  assert.equal(add.quantity, 2);
  assert.equal(add.currency, 'EUR');
  assert.equal(add.metadata, undefined);
  assert.equal(view.platform, 'web');
  assert.equal(view.device, 'desktop');
  assert.equal(view.page_url, 'https://shop.example/');
  assert.equal(view.anonymous_id, t.anonymousId());
  assert.equal(view.session_id, t.sessionId());
  assert.equal(view.timestamp, '2026-11-22T10:00:00.000Z');
  assert.equal(t.queued().length, 0);
});

test('a full batch is sent at once, and the events beyond it go in the next request', async () => {
  const f = fakeEnv();
  const t = ff.createTracker(f.env, CONFIG);
  for (let i = 0; i < 7; i++) {
    t.track('page_view', { n: i });
  }
  await f.advance(0);
  // two full batches of 3 straight away; the seventh waits for the flush interval
  assert.deepEqual(f.requests.map((r) => r.body.events.length), [3, 3]);
  assert.deepEqual(f.requests.flatMap((r) => r.body.events.map((e) => e.metadata.n)), [0, 1, 2, 3, 4, 5]);
  assert.equal(t.queued().length, 1);
  await f.advance(5000);
  assert.deepEqual(f.requests.map((r) => r.body.events.length), [3, 3, 1]);
  assert.equal(f.requests[2].body.events[0].metadata.n, 6);
  assert.equal(t.queued().length, 0);
});

test('network errors, 5xx and 429 are retried with exponential backoff, keeping the event ids; sent_at is the time of each send', async () => {
  const f = fakeEnv({ responses: [{ networkError: true }, { status: 503 }, { status: 500 }, { status: 200 }] });
  const t = ff.createTracker(f.env, { ...CONFIG, retryBase: 1000 });
  t.track('add_to_cart', { product_id: 'p-1' });
  t.track('purchase', { revenue: 20, currency: 'EUR' });
  await f.advance(5000); // first send at 10:00:05
  assert.equal(f.requests.length, 1);
  await f.advance(999);
  assert.equal(f.requests.length, 1, 'first retry not before 1 s');
  await f.advance(1); // retry 1 after 1 s
  await f.advance(2000); // retry 2 after 2 s more
  await f.advance(4000); // retry 3 after 4 s more
  assert.equal(f.requests.length, 4);
  assert.deepEqual(f.requests.map((r) => r.at - START), [5000, 6000, 8000, 12000]);

  const idsOf = (r) => r.body.events.map((e) => e.event_id);
  const firstIds = idsOf(f.requests[0]);
  assert.equal(new Set(firstIds).size, 2);
  f.requests.forEach((r) => assert.deepEqual(idsOf(r), firstIds));
  f.requests.forEach((r) => {
    const sentAt = new Date(r.at).toISOString();
    assert.equal(r.body.sent_at, sentAt);
    r.body.events.forEach((e) => assert.equal(e.sent_at, sentAt));
    // the event's own time does not move with the retries
    r.body.events.forEach((e) => assert.equal(e.timestamp, '2026-11-22T10:00:00.000Z'));
  });
  assert.equal(t.queued().length, 0);
  await f.advance(60 * MINUTE);
  assert.equal(f.requests.length, 4, 'nothing more once delivered');
});

test('a 429 waits at least as long as its Retry-After says', async () => {
  const f = fakeEnv({ responses: [{ status: 429, headers: { 'Retry-After': '30' } }, { status: 200 }] });
  const t = ff.createTracker(f.env, CONFIG);
  t.track('page_view');
  await f.advance(5000);
  await f.advance(29999);
  assert.equal(f.requests.length, 1);
  await f.advance(1);
  assert.equal(f.requests.length, 2);
  assert.equal(t.queued().length, 0);
});

test('a 400 is not retried: the same events would be refused again', async () => {
  const f = fakeEnv({ responses: [{ status: 400 }] });
  const t = ff.createTracker(f.env, CONFIG);
  t.track('purchase');
  await f.advance(5000);
  assert.equal(f.requests.length, 1);
  assert.equal(t.queued().length, 0);
  await f.advance(10 * MINUTE);
  assert.equal(f.requests.length, 1);
  assert.equal(f.timers().length, 0);
});

test('the session lasts while there is activity and rolls over after 30 minutes without any', async () => {
  const f = fakeEnv();
  const t = ff.createTracker(f.env, CONFIG);
  const first = t.track('page_view').session_id;
  await f.advance(29 * MINUTE);
  assert.equal(t.track('product_view').session_id, first);
  await f.advance(29 * MINUTE); // 58 minutes since the start, but only 29 since the last event
  assert.equal(t.track('add_to_cart').session_id, first);
  await f.advance(30 * MINUTE + 1);
  const second = t.track('page_view').session_id;
  assert.notEqual(second, first);
  assert.equal(t.sessionId(), second);
  // the anonymous id is the visitor's, not the session's
  assert.equal(f.requests.flatMap((r) => r.body.events).every((e) => e.anonymous_id === t.anonymousId()), true);
});

test('the session survives a reload, and so does the anonymous id', async () => {
  const storage = memoryStorage();
  const f1 = fakeEnv({ storage });
  const t1 = ff.createTracker(f1.env, CONFIG);
  const e1 = t1.track('page_view');
  const f2 = fakeEnv({ storage });
  f2.setNow(START + 10 * MINUTE);
  const t2 = ff.createTracker(f2.env, CONFIG);
  const e2 = t2.track('page_view');
  assert.equal(e2.session_id, e1.session_id);
  assert.equal(e2.anonymous_id, e1.anonymous_id);
});

test('UTM parameters of the landing URL are kept for the whole session; a new campaign starts a new session', async () => {
  const location = { href: 'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=winter%20sale', search: '?utm_source=google&utm_medium=cpc&utm_campaign=winter%20sale' };
  const f = fakeEnv({ location, referrer: 'https://www.google.com/' });
  const t = ff.createTracker(f.env, CONFIG);
  const landing = t.page();
  assert.equal(landing.event_type, 'page_view');
  assert.equal(landing.referrer, 'https://www.google.com/');
  assert.deepEqual([landing.utm_source, landing.utm_medium, landing.utm_campaign], ['google', 'cpc', 'winter sale']);

  location.href = 'https://shop.example/p/42';
  location.search = '';
  const later = t.track('product_view', { product_id: 'p-42' });
  assert.equal(later.session_id, landing.session_id);
  assert.deepEqual([later.utm_source, later.utm_medium, later.utm_campaign], ['google', 'cpc', 'winter sale']);

  location.href = 'https://shop.example/?utm_source=newsletter&utm_medium=email';
  location.search = '?utm_source=newsletter&utm_medium=email';
  const fromMail = t.page();
  assert.notEqual(fromMail.session_id, landing.session_id);
  assert.deepEqual([fromMail.utm_source, fromMail.utm_medium, fromMail.utm_campaign], ['newsletter', 'email', undefined]);
});

test('a session that starts without UTM parameters has none', () => {
  const f = fakeEnv();
  const t = ff.createTracker(f.env, CONFIG);
  const e = t.page();
  assert.equal(e.utm_source, undefined);
  assert.equal(e.utm_medium, undefined);
});

test('when the page is hidden, the queue goes out by sendBeacon in the same body format', async () => {
  const f = fakeEnv();
  const t = ff.createTracker(f.env, CONFIG);
  t.track('page_view');
  t.track('add_to_cart', { product_id: 'p-1' });
  f.setNow(START + 1234);
  assert.equal(t.pageHidden(), 2);
  assert.equal(f.beacons.length, 1);
  assert.equal(f.beacons[0].url, 'https://ingest.example/api/batch');
  assert.equal(f.beacons[0].body.write_key, 'wk-1');
  assert.equal(f.beacons[0].body.sent_at, '2026-11-22T10:00:01.234Z');
  assert.deepEqual(f.beacons[0].body.events.map((e) => e.event_type), ['page_view', 'add_to_cart']);
  assert.equal(t.queued().length, 0);
  assert.equal(f.env.storage.getItem('ff_queue'), '[]');
  await f.advance(5000);
  assert.equal(f.requests.length, 0, 'what the beacon took is not sent again');
});

test('a large queue is split over several beacons, each under the size limit', () => {
  const f = fakeEnv();
  const t = ff.createTracker(f.env, { ...CONFIG, batchSize: 50, beaconBytes: 2000 });
  for (let i = 0; i < 20; i++) {
    t.track('page_view', { pad: 'x'.repeat(100) });
  }
  assert.equal(t.pageHidden(), 20);
  assert.ok(f.beacons.length > 1);
  f.beacons.forEach((b) => assert.ok(JSON.stringify(b.body).length <= 2000));
  assert.equal(f.beacons.reduce((n, b) => n + b.body.events.length, 0), 20);
});

test('when the browser refuses the beacon, the events stay queued for the next page', () => {
  const storage = memoryStorage();
  const f = fakeEnv({ storage, beaconAccepts: false });
  const t = ff.createTracker(f.env, CONFIG);
  t.track('page_view');
  assert.equal(t.pageHidden(), 0);
  assert.equal(JSON.parse(storage.getItem('ff_queue')).length, 1);
});

test('unsent events survive a reload and are sent by the next page with their original ids', async () => {
  const storage = memoryStorage();
  const f1 = fakeEnv({ storage, responses: [{ networkError: true }] });
  const t1 = ff.createTracker(f1.env, CONFIG);
  const a = t1.track('product_view', { product_id: 'p-1' });
  const b = t1.track('add_to_cart', { product_id: 'p-1' });
  await f1.advance(5000); // fails: the page is then closed before the retry

  const f2 = fakeEnv({ storage });
  f2.setNow(START + MINUTE);
  const t2 = ff.createTracker(f2.env, CONFIG);
  assert.deepEqual(t2.queued().map((e) => e.event_id), [a.event_id, b.event_id]);
  await f2.advance(0);
  assert.equal(f2.requests.length, 1);
  assert.deepEqual(f2.requests[0].body.events.map((e) => e.event_id), [a.event_id, b.event_id]);
  assert.equal(f2.requests[0].body.sent_at, new Date(START + MINUTE).toISOString());
  assert.equal(f2.requests[0].body.events[0].timestamp, new Date(START).toISOString());
  assert.deepEqual(JSON.parse(storage.getItem('ff_queue')), []);
});

test('the queue is bounded: the oldest events go first when the endpoint stays unreachable', () => {
  const f = fakeEnv();
  const t = ff.createTracker(f.env, { ...CONFIG, batchSize: 100, maxQueue: 5 });
  for (let i = 0; i < 8; i++) {
    t.track('page_view', { n: i });
  }
  assert.deepEqual(t.queued().map((e) => e.metadata.n), [3, 4, 5, 6, 7]);
});

test('identify sets the user id on this and every later event, and survives a reload', async () => {
  const storage = memoryStorage();
  const f = fakeEnv({ storage });
  const t = ff.createTracker(f.env, CONFIG);
  assert.equal(t.track('page_view').user_id, undefined);
  const id = t.identify('cust-7', { plan: 'gold' });
  assert.equal(id.event_type, 'identify');
  assert.equal(id.user_id, 'cust-7');
  assert.deepEqual(id.metadata, { plan: 'gold' });
  assert.equal(t.track('purchase', { revenue: 10 }).user_id, 'cust-7');
  const again = ff.createTracker(fakeEnv({ storage }).env, CONFIG);
  assert.equal(again.track('page_view').user_id, 'cust-7');
  assert.throws(() => t.identify(''), /user id/);
});

test('event ids are unique without crypto.randomUUID too, and look like UUIDs', () => {
  const f = fakeEnv({ noRandomUUID: true });
  f.env.random = Math.random;
  const t = ff.createTracker(f.env, { ...CONFIG, batchSize: 1000 });
  const ids = new Set();
  for (let i = 0; i < 500; i++) {
    ids.add(t.track('page_view').event_id);
  }
  assert.equal(ids.size, 500);
  ids.forEach((id) => assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));
  assert.match(t.anonymousId(), /^[0-9a-f]{8}-/);
});

test('flush sends everything now and says how many are still waiting', async () => {
  const f = fakeEnv();
  const t = ff.createTracker(f.env, CONFIG);
  for (let i = 0; i < 5; i++) {
    t.track('page_view');
  }
  await f.advance(0);
  assert.equal(f.requests.length, 1);
  assert.equal(await t.flush(), 0);
  assert.deepEqual(f.requests.map((r) => r.body.events.length), [3, 2]);
  assert.equal(f.timers().length, 0);

  const g = fakeEnv({ responses: [{ status: 503 }] });
  const u = ff.createTracker(g.env, CONFIG);
  u.track('purchase', { revenue: 5 });
  assert.equal(await u.flush(), 1, 'a failed flush leaves the event for the retry');
  assert.equal(g.timers().length, 1);

  const empty = ff.createTracker(fakeEnv().env, CONFIG).flush();
  assert.ok(empty instanceof Promise, 'flush always answers with a promise, even with nothing queued');
  assert.equal(await empty, 0);
});

test('device is told from the user agent, else from the screen', () => {
  assert.equal(ff.deviceOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', 390, 5), 'mobile');
  assert.equal(ff.deviceOf('Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120 Mobile Safari/537.36', 412, 5), 'mobile');
  assert.equal(ff.deviceOf('Mozilla/5.0 (Linux; Android 13; SM-X710) Chrome/120 Safari/537.36', 1600, 5), 'tablet');
  assert.equal(ff.deviceOf('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)', 1024, 5), 'tablet');
  assert.equal(ff.deviceOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15', 1024, 5), 'tablet');
  assert.equal(ff.deviceOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15', 1440, 0), 'desktop');
  assert.equal(ff.deviceOf('Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120', 1920, 0), 'desktop');
  assert.equal(ff.deviceOf('', 400, 0), 'mobile');
});

test('a tracker needs a write key and an event type', () => {
  assert.throws(() => ff.createTracker(fakeEnv().env, { endpoint: 'x' }), /writeKey/);
  const t = ff.createTracker(fakeEnv().env, CONFIG);
  assert.throws(() => t.track(''), /event type/);
});

/** A page with the one-tag snippet: window, document and navigator with what the script uses. */
function fakePage(scriptAttributes, early) {
  const listeners = {};
  const beacons = [];
  const fetches = [];
  const storage = memoryStorage();
  const window = {
    funnelflow: early,
    localStorage: storage,
    location: { href: 'https://shop.example/p/1?utm_source=newsletter', search: '?utm_source=newsletter' },
    navigator: {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120',
      sendBeacon: (url, data) => { beacons.push({ url, body: JSON.parse(data) }); return true; }
    },
    screen: { width: 1920 },
    crypto: { randomUUID: () => require('node:crypto').randomUUID() },
    fetch: (url, init) => { fetches.push({ url, body: JSON.parse(init.body) }); return Promise.resolve({ status: 200, headers: { get: () => null } }); },
    setTimeout: () => 1,
    clearTimeout: () => {},
    addEventListener: (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); }
  };
  const script = { src: 'https://ingest.example/funnelflow.js', getAttribute: (n) => scriptAttributes[n] || null };
  const document = {
    currentScript: script,
    referrer: 'https://mail.example/',
    title: 'Socks',
    visibilityState: 'visible',
    querySelector: () => script,
    addEventListener: (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); }
  };
  return { window, document, beacons, fetches, storage, fire: (type) => (listeners[type] || []).forEach((fn) => fn()) };
}

test('the one-tag snippet starts itself from data-write-key, records the page view and replays queued calls', () => {
  const page = fakePage({ 'data-write-key': 'wk-tag' }, [['track', 'add_to_cart', { product_id: 'p-1' }]]);
  ff.installInBrowser(page.window, page.document);
  const api = page.window.funnelflow;
  assert.equal(typeof api.track, 'function');
  api.push(['track', 'product_view', { product_id: 'p-2' }]);
  const queued = JSON.parse(page.storage.getItem('ff_queue'));
  assert.deepEqual(queued.map((e) => e.event_type), ['add_to_cart', 'page_view', 'product_view']);
  assert.equal(queued[1].page_url, 'https://shop.example/p/1?utm_source=newsletter');
  assert.equal(queued[1].referrer, 'https://mail.example/');
  assert.equal(queued[1].utm_source, 'newsletter');
  assert.deepEqual(queued[1].metadata, { title: 'Socks' });

  // hiding the page hands the queue to sendBeacon, at the script's own origin
  page.document.visibilityState = 'hidden';
  page.fire('visibilitychange');
  assert.equal(page.beacons.length, 1);
  assert.equal(page.beacons[0].url, 'https://ingest.example/api/batch');
  assert.equal(page.beacons[0].body.write_key, 'wk-tag');
  assert.equal(page.beacons[0].body.events.length, 3);
  assert.equal(api.anonymousId(), queued[0].anonymous_id);
});

test('without data-write-key nothing starts until init, and calls made before it are kept', () => {
  const page = fakePage({}, undefined);
  ff.installInBrowser(page.window, page.document);
  const api = page.window.funnelflow;
  api.track('add_to_cart', { product_id: 'p-9' });
  assert.equal(page.storage.getItem('ff_queue'), null);
  api.init({ writeKey: 'wk-init', endpoint: 'https://collect.example' });
  assert.deepEqual(JSON.parse(page.storage.getItem('ff_queue')).map((e) => e.product_id), ['p-9']);
  page.fire('pagehide');
  assert.equal(page.beacons[0].url, 'https://collect.example/api/batch');
  assert.equal(page.beacons[0].body.write_key, 'wk-init');
});
