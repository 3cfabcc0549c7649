'use strict';
// Prints the request the tracker makes for one shopper's visit, as JSON {url, method, content_type, body},
// for the ingest-service integration test to send to a real server. Usage: node tracker-request.cjs WRITE_KEY
const path = require('node:path');
const ff = require(path.join(__dirname, '../../main/resources/tracker/funnelflow.js'));

const writeKey = process.argv[2];
const storage = new Map();
let request = null;
const env = {
  storage: { getItem: (k) => (storage.has(k) ? storage.get(k) : null), setItem: (k, v) => storage.set(k, v), removeItem: (k) => storage.delete(k) },
  now: () => Date.now(),
  setTimeout: () => 0,
  clearTimeout: () => {},
  fetch: (url, init) => {
    request = { url, method: init.method, content_type: init.headers['Content-Type'], body: init.body };
    return Promise.resolve({ status: 200, headers: { get: () => null } });
  },
  location: {
    href: 'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=winter_sale',
    search: '?utm_source=google&utm_medium=cpc&utm_campaign=winter_sale'
  },
  referrer: 'https://www.google.com/',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148',
  screenWidth: 390,
  maxTouchPoints: 5,
  randomUUID: () => require('node:crypto').randomUUID()
};
const t = ff.createTracker(env, { writeKey, endpoint: 'http://ingest.invalid', batchSize: 50 });
const socks = { product_id: 'p-104', product_name: 'Hiking socks (3 pairs)', price: 19.9, currency: 'EUR' };
t.page();
t.track('product_view', socks);
t.track('add_to_cart', { ...socks, quantity: 2 });
t.track('remove_from_cart', { ...socks, quantity: 1 });
t.track('checkout_start', { quantity: 1, currency: 'EUR', cart_value: 19.9 });
t.identify('cust-42', { plan: 'gold' });
t.track('purchase', { revenue: 19.9, currency: 'EUR', quantity: 1, order_id: 'o-1' });
t.flush().then(() => process.stdout.write(JSON.stringify(request)));
