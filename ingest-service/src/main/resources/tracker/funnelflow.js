/*
 * FunnelFlow browser tracker. No dependencies; add it with one tag:
 *
 *   <script src="https://ingest.example/funnelflow.js" data-write-key="YOUR_KEY" async></script>
 *
 * or load it without data-write-key and call funnelflow.init({writeKey, endpoint}).
 * API: funnelflow.track(eventType, props), .page(props), .identify(userId, traits), .flush(), .reset().
 *
 * Events are queued (and kept in localStorage, so a reload loses nothing), sent in batches to
 * <endpoint>/api/batch as text/plain with the write key in the body (a "simple" CORS request: no
 * preflight, and the same body works for navigator.sendBeacon when the page is hidden). Network
 * errors, 5xx and 429 are retried with exponential backoff (Retry-After respected); other 4xx are
 * not, since the same events would fail again. Each event has an event_id made once, so a retried
 * event is counted once; sent_at is stamped at each send so the server can correct clock skew.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else if (typeof window !== 'undefined') {
    api.installInBrowser(window, document);
  }
})(this, function () {
  'use strict';

  var KEYS = { anonymousId: 'ff_anonymous_id', userId: 'ff_user_id', session: 'ff_session', queue: 'ff_queue' };
  var SESSION_TIMEOUT_MS = 30 * 60 * 1000;
  var UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign'];
  /** Props that are fields of the event itself; every other prop goes to metadata. */
  var EVENT_FIELDS = {
    product_id: 'product_id', productId: 'product_id',
    product_name: 'product_name', productName: 'product_name',
    price: 'price', quantity: 'quantity', revenue: 'revenue', currency: 'currency'
  };
  var DEFAULTS = {
    batchSize: 20,          // events per request
    flushInterval: 5000,    // ms an event may wait for companions before its batch is sent
    maxQueue: 1000,         // events kept while the endpoint is unreachable; the oldest are dropped
    retryBase: 1000,        // first retry after about this many ms, doubling each time
    retryMax: 60000,        // longest wait between retries
    beaconBytes: 60000      // sendBeacon payloads stay under the browsers' 64 KiB limit
  };

  function uuid(env) {
    if (env.randomUUID) {
      return env.randomUUID();
    }
    var hex = '';
    for (var i = 0; i < 32; i++) {
      var n = Math.floor(env.random() * 16);
      if (i === 12) { n = 4; }
      if (i === 16) { n = (n & 3) | 8; }
      hex += n.toString(16);
    }
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function readJson(storage, key) {
    try {
      var raw = storage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function writeJson(storage, key, value) {
    try {
      storage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // storage full or refused: the value lives on in memory for this page
    }
  }

  /** The utm_* parameters of a URL's query, or null when it has none. */
  function utmOf(search) {
    var found = null;
    var query = (search || '').replace(/^\?/, '');
    query.split('&').forEach(function (pair) {
      var eq = pair.indexOf('=');
      var name = decodeParam(eq < 0 ? pair : pair.slice(0, eq));
      if (UTM_FIELDS.indexOf(name) >= 0 && eq > 0) {
        var value = decodeParam(pair.slice(eq + 1));
        if (value) {
          found = found || {};
          found[name] = value;
        }
      }
    });
    return found;
  }

  function decodeParam(s) {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch (e) {
      return s;
    }
  }

  function sameUtm(a, b) {
    return UTM_FIELDS.every(function (f) { return (a && a[f]) === (b && b[f]); });
  }

  /** mobile, tablet or desktop: from the user agent, else from the screen. */
  function deviceOf(userAgent, screenWidth, maxTouchPoints) {
    var ua = userAgent || '';
    if (/iPad|Tablet|PlayBook|Silk|Kindle/i.test(ua) || (/Android/i.test(ua) && !/Mobile/i.test(ua))
        || (/Macintosh/i.test(ua) && maxTouchPoints > 1)) {
      return 'tablet';
    }
    if (/Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry|Opera Mini/i.test(ua)) {
      return 'mobile';
    }
    if (screenWidth && screenWidth < 600) {
      return 'mobile';
    }
    if (screenWidth && screenWidth < 1024 && maxTouchPoints > 0) {
      return 'tablet';
    }
    return 'desktop';
  }

  /** Seconds of a Retry-After header (delta-seconds or HTTP date) in ms, or 0. */
  function retryAfterMs(header, nowMs) {
    if (!header) {
      return 0;
    }
    var seconds = Number(header);
    if (!isNaN(seconds)) {
      return Math.max(0, seconds * 1000);
    }
    var date = Date.parse(header);
    return isNaN(date) ? 0 : Math.max(0, date - nowMs);
  }

  /**
   * A tracker over an environment, so that it runs the same in a browser and under test:
   * env = {storage, now, setTimeout, clearTimeout, fetch, sendBeacon, location: {href, search},
   *        referrer, userAgent, screenWidth, maxTouchPoints, randomUUID, random, persistQueue, log}
   * config = {writeKey, endpoint, batchSize, flushInterval, maxQueue, retryBase, retryMax}
   */
  function createTracker(env, config) {
    if (!config || !config.writeKey) {
      throw new Error('funnelflow: a writeKey is required');
    }
    var cfg = {};
    Object.keys(DEFAULTS).forEach(function (k) { cfg[k] = config[k] != null ? config[k] : DEFAULTS[k]; });
    var url = String(config.endpoint || '').replace(/\/+$/, '') + '/api/batch';
    var storage = env.storage;
    var log = env.log || function () {};
    var random = env.random || Math.random;
    var ids = { randomUUID: env.randomUUID, random: random };

    var anonymousId = storage.getItem(KEYS.anonymousId);
    if (!anonymousId) {
      anonymousId = uuid(ids);
      storage.setItem(KEYS.anonymousId, anonymousId);
    }
    var userId = storage.getItem(KEYS.userId) || null;
    var session = readJson(storage, KEYS.session);
    var queue = (env.persistQueue !== false && readJson(storage, KEYS.queue)) || [];
    var timer = null;
    var timerIsRetry = false;
    var inFlight = null;
    var attempt = 0;

    function iso(ms) {
      return new Date(ms).toISOString();
    }

    function saveQueue() {
      if (env.persistQueue !== false) {
        writeJson(storage, KEYS.queue, queue);
      }
    }

    /**
     * The current session, started anew after 30 minutes without an event, or when the page was
     * reached from a different campaign (its utm_* differ from the session's).
     */
    function touchSession(nowMs) {
      var landingUtm = utmOf(env.location && env.location.search);
      var expired = !session || nowMs - session.last > SESSION_TIMEOUT_MS;
      if (expired || (landingUtm && !sameUtm(landingUtm, session.utm))) {
        session = { id: uuid(ids), start: nowMs, last: nowMs, utm: landingUtm || {} };
      }
      session.last = nowMs;
      writeJson(storage, KEYS.session, session);
      return session;
    }

    function enqueue(eventType, props, extra) {
      if (typeof eventType !== 'string' || !eventType) {
        throw new Error('funnelflow: an event type is required, e.g. track("add_to_cart", {...})');
      }
      var nowMs = env.now();
      var s = touchSession(nowMs);
      var event = {
        event_id: uuid(ids),
        event_type: eventType,
        timestamp: iso(nowMs),
        session_id: s.id,
        anonymous_id: anonymousId,
        platform: 'web',
        device: deviceOf(env.userAgent, env.screenWidth, env.maxTouchPoints)
      };
      if (userId) {
        event.user_id = userId;
      }
      if (env.location && env.location.href) {
        event.page_url = env.location.href;
      }
      if (env.referrer) {
        event.referrer = env.referrer;
      }
      UTM_FIELDS.forEach(function (f) {
        if (s.utm && s.utm[f]) {
          event[f] = s.utm[f];
        }
      });
      var metadata = {};
      var hasMetadata = false;
      [props, extra].forEach(function (bag) {
        Object.keys(bag || {}).forEach(function (k) {
          var v = bag[k];
          if (v === undefined) {
            return;
          }
          if (EVENT_FIELDS[k]) {
            event[EVENT_FIELDS[k]] = v;
          } else {
            metadata[k] = v;
            hasMetadata = true;
          }
        });
      });
      if (hasMetadata) {
        event.metadata = metadata;
      }
      queue.push(event);
      if (queue.length > cfg.maxQueue) {
        queue.splice(0, queue.length - cfg.maxQueue);
      }
      saveQueue();
      if (queue.length >= cfg.batchSize && !timerIsRetry) {
        send();
      } else {
        schedule(cfg.flushInterval, false);
      }
      return event;
    }

    function schedule(delayMs, isRetry) {
      if (timer !== null) {
        if (!isRetry) {
          return; // a flush (or a retry) is already due
        }
        env.clearTimeout(timer);
      }
      timerIsRetry = isRetry;
      timer = env.setTimeout(function () {
        timer = null;
        timerIsRetry = false;
        send();
      }, delayMs);
    }

    function remove(sent) {
      var ids = {};
      sent.forEach(function (e) { ids[e.event_id] = true; });
      queue = queue.filter(function (e) { return !ids[e.event_id]; });
      saveQueue();
    }

    function body(events, nowMs) {
      var sentAt = iso(nowMs);
      return JSON.stringify({
        write_key: config.writeKey,
        sent_at: sentAt,
        events: events.map(function (e) {
          var copy = {};
          Object.keys(e).forEach(function (k) { copy[k] = e[k]; });
          copy.sent_at = sentAt;
          return copy;
        })
      });
    }

    /** Sends the oldest batch; resolves when that attempt is over, then carries on with the rest. */
    function send() {
      if (inFlight) {
        return inFlight;
      }
      if (queue.length === 0) {
        return Promise.resolve();
      }
      if (timer !== null) {
        env.clearTimeout(timer);
        timer = null;
        timerIsRetry = false;
      }
      var batch = queue.slice(0, cfg.batchSize);
      inFlight = Promise.resolve()
        .then(function () {
          return env.fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
            body: body(batch, env.now()),
            credentials: 'omit',
            keepalive: true
          });
        })
        .then(function (response) {
          var status = response.status;
          if (status === 429 || status >= 500) {
            var header = response.headers && response.headers.get ? response.headers.get('Retry-After') : null;
            return { retry: true, waitMs: retryAfterMs(header, env.now()), status: status };
          }
          if (status >= 400) {
            log('funnelflow: ' + batch.length + ' events refused with status ' + status + '; they are not sent again');
          }
          return { retry: false, status: status };
        }, function (error) {
          return { retry: true, waitMs: 0, error: error };
        })
        .then(function (outcome) {
          inFlight = null;
          if (outcome.retry) {
            var backoff = Math.min(cfg.retryMax, cfg.retryBase * Math.pow(2, attempt)) * (0.5 + random() / 2);
            attempt++;
            schedule(Math.max(backoff, outcome.waitMs), true);
            return;
          }
          attempt = 0;
          remove(batch);
          if (queue.length >= cfg.batchSize) {
            return send();
          }
          if (queue.length > 0) {
            schedule(cfg.flushInterval, false);
          }
        });
      return inFlight;
    }

    /** The page is going away: hand every queued event to sendBeacon, which outlives the page. */
    function beaconAll() {
      if (!env.sendBeacon || queue.length === 0) {
        return 0;
      }
      var handed = 0;
      var rest = queue.slice();
      while (rest.length > 0) {
        var n = Math.min(rest.length, cfg.batchSize);
        var payload = body(rest.slice(0, n), env.now());
        while (n > 1 && payload.length > cfg.beaconBytes) {
          n = Math.ceil(n / 2);
          payload = body(rest.slice(0, n), env.now());
        }
        if (!env.sendBeacon(url, payload)) {
          break;
        }
        remove(rest.slice(0, n));
        handed += n;
        rest = rest.slice(n);
      }
      return handed;
    }

    if (queue.length > 0) {
      schedule(0, false);
    }

    return {
      track: function (eventType, props) {
        return enqueue(eventType, props);
      },
      page: function (props) {
        return enqueue('page_view', props, { title: env.title || undefined });
      },
      identify: function (id, traits) {
        if (id == null || String(id) === '') {
          throw new Error('funnelflow: identify needs a user id');
        }
        userId = String(id);
        storage.setItem(KEYS.userId, userId);
        return enqueue('identify', traits);
      },
      /** Sends everything queued now; resolves with how many events are still waiting. */
      flush: function () {
        function next() {
          if (queue.length === 0) {
            return queue.length;
          }
          var before = queue.length;
          return send().then(function () {
            return queue.length < before && !timerIsRetry ? next() : queue.length;
          });
        }
        return Promise.resolve(next());
      },
      /** Forgets the visitor (on log-out): new anonymous id, no user id, new session. */
      reset: function () {
        anonymousId = uuid(ids);
        storage.setItem(KEYS.anonymousId, anonymousId);
        userId = null;
        storage.removeItem(KEYS.userId);
        session = null;
        storage.removeItem(KEYS.session);
      },
      pageHidden: beaconAll,
      anonymousId: function () { return anonymousId; },
      userId: function () { return userId; },
      sessionId: function () { return session ? session.id : null; },
      queued: function () { return queue.slice(); }
    };
  }

  /** localStorage when the browser lets us use it, else first-party cookies (ids only, no queue). */
  function browserStorage(window, document) {
    try {
      var ls = window.localStorage;
      ls.setItem('ff_probe', '1');
      ls.removeItem('ff_probe');
      return { storage: ls, persistQueue: true };
    } catch (e) {
      return { storage: cookieStorage(document), persistQueue: false };
    }
  }

  function cookieStorage(document) {
    var maxAge = 60 * 60 * 24 * 365;
    return {
      getItem: function (key) {
        var parts = document.cookie ? document.cookie.split('; ') : [];
        for (var i = 0; i < parts.length; i++) {
          if (parts[i].indexOf(key + '=') === 0) {
            return decodeURIComponent(parts[i].slice(key.length + 1));
          }
        }
        return null;
      },
      setItem: function (key, value) {
        document.cookie = key + '=' + encodeURIComponent(value) + '; path=/; max-age=' + maxAge + '; SameSite=Lax';
      },
      removeItem: function (key) {
        document.cookie = key + '=; path=/; max-age=0; SameSite=Lax';
      }
    };
  }

  function browserEnv(window, document) {
    var picked = browserStorage(window, document);
    var nav = window.navigator || {};
    var cryptoObj = window.crypto;
    return {
      storage: picked.storage,
      persistQueue: picked.persistQueue,
      now: function () { return Date.now(); },
      setTimeout: function (f, ms) { return window.setTimeout(f, ms); },
      clearTimeout: function (t) { window.clearTimeout(t); },
      fetch: window.fetch ? function (u, o) { return window.fetch(u, o); } : null,
      sendBeacon: nav.sendBeacon ? function (u, data) { return nav.sendBeacon(u, data); } : null,
      get location() { return window.location; },
      get referrer() { return document.referrer; },
      get title() { return document.title; },
      userAgent: nav.userAgent,
      screenWidth: window.screen && window.screen.width,
      maxTouchPoints: nav.maxTouchPoints || 0,
      randomUUID: cryptoObj && cryptoObj.randomUUID ? function () { return cryptoObj.randomUUID(); } : null,
      random: Math.random,
      log: function (message) { if (window.console) { window.console.warn(message); } }
    };
  }

  /**
   * Sets up window.funnelflow. Calls made before init (or queued as window.funnelflow = [['track', ...]])
   * are replayed once the tracker exists. With data-write-key on its tag the script starts itself
   * and records the page view (data-auto-page="false" to skip it).
   */
  function installInBrowser(window, document) {
    var early = Array.isArray(window.funnelflow) ? window.funnelflow : [];
    var tracker = null;
    var pending = [];

    function call(method, args) {
      if (tracker) {
        return tracker[method].apply(tracker, args);
      }
      pending.push([method, args]);
      return undefined;
    }

    var api = {
      init: function (options) {
        if (tracker) {
          return api;
        }
        var env = browserEnv(window, document);
        tracker = createTracker(env, options);
        var onHide = function () { tracker.pageHidden(); };
        document.addEventListener('visibilitychange', function () {
          if (document.visibilityState === 'hidden') { onHide(); }
        });
        window.addEventListener('pagehide', onHide);
        pending.splice(0).forEach(function (c) { tracker[c[0]].apply(tracker, c[1]); });
        return api;
      },
      track: function () { return call('track', arguments); },
      page: function () { return call('page', arguments); },
      identify: function () { return call('identify', arguments); },
      reset: function () { return call('reset', arguments); },
      flush: function () { return tracker ? tracker.flush() : Promise.resolve(pending.length); },
      /** The queued-call form of the snippet, still usable once the script has loaded. */
      push: function (c) { return api[c[0]].apply(api, c.slice(1)); },
      anonymousId: function () { return tracker && tracker.anonymousId(); },
      sessionId: function () { return tracker && tracker.sessionId(); },
      createTracker: createTracker
    };
    window.funnelflow = api;
    early.forEach(function (c) { if (api[c[0]]) { api.push(c); } });

    var script = document.currentScript || document.querySelector('script[data-write-key]');
    var key = script && script.getAttribute('data-write-key');
    if (key && !tracker) {
      var endpoint = script.getAttribute('data-endpoint') || new URL(script.src, window.location.href).origin;
      api.init({ writeKey: key, endpoint: endpoint });
      if (script.getAttribute('data-auto-page') !== 'false') {
        api.page();
      }
    }
  }

  return {
    createTracker: createTracker,
    installInBrowser: installInBrowser,
    deviceOf: deviceOf,
    utmOf: utmOf,
    SESSION_TIMEOUT_MS: SESSION_TIMEOUT_MS
  };
});
