/*
 * FunnelFlow dashboard: KPIs, funnel, trends and personas from the aggregator's query API; the live
 * feed and "refresh" ticks from its Server-Sent Events stream (/api/live). Every request's failure is
 * handled here and shown in its panel: a service that is away is a state of the page, not an error.
 */
'use strict';

(function () {
  const STEP_LABELS = ['none', 'landing', 'product view', 'add to cart', 'checkout', 'purchase'];
  const MAX_ROWS = 50;
  const COLORS = ['#3563e9', '#1f9d55', '#c47f00', '#c93636', '#7b4bd6', '#0e8fa3', '#d6489b', '#6b7280'];

  const state = {
    hours: 24,
    breakdown: '',
    rows: new Map(),
    charts: {},
    reloading: false,
    reloadAgain: false,
    reloadTimer: null,
    renderQueued: false,
    personasAt: 0,
    personasTimer: null,
    loads: 0
  };

  const $ = (id) => document.getElementById(id);
  const int = new Intl.NumberFormat('en-US');
  const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const words = (text) => String(text == null ? '' : text).replace(/_/g, ' ');
  const pct = (x) => (x == null || Number.isNaN(Number(x)) ? '–' : (Number(x) * 100).toFixed(1) + '%');

  // ---- HTTP -------------------------------------------------------------------------------------

  // the signed-in session: who, with which scope, and the CSRF token that state-changing calls carry
  const session = { scope: null, csrf: null };

  /** Resolves to {ok, status, body, error}; never rejects. A call whose session has ended goes to the sign-in page. */
  async function request(url, options) {
    let response;
    const init = Object.assign({ credentials: 'same-origin' }, options || {});
    init.headers = Object.assign({ Accept: 'application/json' }, init.headers || {});
    if (init.method && init.method !== 'GET' && session.csrf) {
      init.headers['X-CSRF-TOKEN'] = session.csrf;
    }
    try {
      response = await fetch(url, init);
    } catch (e) {
      return { ok: false, status: 0, body: null, error: 'the dashboard cannot reach the aggregator' };
    }
    if (response.status === 401) {
      window.location.assign('/signin');
      return { ok: false, status: 401, body: null, error: 'signed out' };
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      return { ok: false, status: response.status, body, error: describeFailure(response.status, body) };
    }
    return { ok: true, status: response.status, body, error: null };
  }

  function describeFailure(status, body) {
    if (body && typeof body === 'object') {
      if (body.service && body.reason) {
        return body.reason;
      }
      if (body.reason) {
        return (body.parameter ? body.parameter + ' ' : '') + body.reason;
      }
      if (body.message) {
        return body.message;
      }
    }
    if (status === 403) {
      return 'this needs an admin token (signed in with ' + (session.scope || 'another') + ' scope)';
    }
    return 'status ' + status;
  }

  function rangeQuery() {
    return 'hours=' + state.hours;
  }

  // ---- numbers ----------------------------------------------------------------------------------

  async function reloadNumbers() {
    if (state.reloading) {
      state.reloadAgain = true;
      return;
    }
    state.reloading = true;
    try {
      const breakdown = state.breakdown ? '&breakdown=' + encodeURIComponent(state.breakdown) : '';
      const interval = state.hours <= 24 ? 'hour' : 'day';
      const [kpis, funnel, events, purchases, heat] = await Promise.all([
        request('/api/analytics?' + rangeQuery()),
        request('/api/funnel?' + rangeQuery() + breakdown),
        request('/api/trends?' + rangeQuery() + '&interval=' + interval),
        request('/api/trends?' + rangeQuery() + '&interval=' + interval + '&event_type=purchase'),
        request('/api/trends?' + rangeQuery() + '&interval=weekday_hour')
      ]);
      setCsvLinks(breakdown, interval);
      const failures = [kpis, funnel, events, purchases, heat].filter((r) => !r.ok);
      const status = $('numbers-status');
      if (failures.length) {
        status.textContent = 'Some numbers could not be loaded: ' + failures[0].error;
        status.classList.add('error');
      } else {
        status.textContent = 'Updated ' + new Date().toLocaleTimeString();
        status.classList.remove('error');
      }
      if (kpis.ok) {
        renderKpis(kpis.body);
      }
      if (funnel.ok) {
        renderFunnel(funnel.body);
      }
      if (events.ok && purchases.ok) {
        renderTrends(interval, events.body, purchases.body);
      }
      if (heat.ok) {
        renderHeatmap(heat.body);
      }
      state.loads++;
      document.body.dataset.loads = String(state.loads);
    } finally {
      state.reloading = false;
      if (state.reloadAgain) {
        state.reloadAgain = false;
        scheduleReload(0);
      }
    }
  }

  /** The CSV downloads ask for what the panels show: the same range, breakdown and interval. */
  function setCsvLinks(breakdown, interval) {
    const query = {
      'csv-analytics': rangeQuery(),
      'csv-funnel': rangeQuery() + breakdown,
      'csv-trends': rangeQuery() + '&interval=' + interval,
      'csv-heatmap': rangeQuery() + '&interval=weekday_hour'
    };
    for (const [id, q] of Object.entries(query)) {
      const link = $(id);
      link.href = link.dataset.csv + '?' + q + '&format=csv';
    }
  }

  /** The 7 × 24 weekday × hour cells (UTC) as a shaded table; the busiest one outlined and named. */
  function renderHeatmap(report) {
    const points = Array.isArray(report.points) ? report.points : [];
    const max = points.reduce((m, p) => Math.max(m, p.events || 0), 0);
    const table = $('heatmap');
    const hours = [];
    for (let h = 0; h < 24; h++) {
      hours.push([String(h).padStart(2, '0'), null, 'th']);
    }
    table.tHead.replaceChildren(row([['', null, 'th']].concat(hours)));
    const days = [];
    for (const p of points) {
      let day = days.find((d) => d.name === p.weekday);
      if (!day) {
        day = { name: p.weekday, cells: [] };
        days.push(day);
      }
      day.cells.push(p);
    }
    const peak = report.peak || null;
    table.tBodies[0].replaceChildren(...days.map((d) => {
      const tr = row([[d.name, null, 'th']]);
      for (const p of d.cells) {
        const td = document.createElement('td');
        td.textContent = String(p.events);
        td.title = d.name + ' ' + String(p.hour).padStart(2, '0') + ':00 · ' + int.format(p.events) + ' events';
        td.dataset.weekday = d.name;
        td.dataset.hour = String(p.hour);
        td.dataset.events = String(p.events);
        td.style.setProperty('--heat', max ? (0.08 + 0.92 * p.events / max).toFixed(3) : '0');
        if (peak && peak.weekday === d.name && peak.hour === p.hour) {
          td.classList.add('peak');
        }
        tr.appendChild(td);
      }
      return tr;
    }));
    $('heatmap-peak').textContent = peak
      ? 'Peak activity: ' + peak.label + ' (' + int.format(peak.events) + ' events)'
      : 'No events in this range.';
  }

  function scheduleReload(delay) {
    clearTimeout(state.reloadTimer);
    state.reloadTimer = setTimeout(() => {
      reloadNumbers();
      if (Date.now() - state.personasAt > 15000) {
        reloadPersonas();
      }
    }, delay);
  }

  function renderKpis(k) {
    $('kpi-sessions').textContent = int.format(k.sessions || 0);
    $('kpi-visitors').textContent = int.format(k.unique_visitors || 0);
    $('kpi-conversion').textContent = pct(k.conversion_rate);
    $('kpi-revenue').textContent = money.format(Number(k.revenue || 0));
    $('kpi-aov').textContent = money.format(Number(k.average_order_value || 0));
    $('kpi-abandonment').textContent = pct(k.cart_abandonment_rate);
  }

  function renderFunnel(report) {
    const steps = Array.isArray(report.steps) ? report.steps : [];
    $('funnel-caption').textContent = (report.funnel || 'default') + ' · ' + (report.mode || '') + ' · ' + (report.count || '');
    const body = $('funnel-table').tBodies[0];
    body.replaceChildren(...steps.map((s) => {
      const tr = row([
        [words(s.label || s.event_type)],
        [int.format(s.count), 'num'],
        [s.index === 1 ? '–' : pct(s.conversion_from_previous), 'num'],
        [pct(s.conversion_from_start), 'num'],
        [s.index === 1 ? '–' : int.format(s.drop_off) + ' (' + pct(s.drop_off_rate) + ')', 'num'],
        [s.median_seconds_from_previous == null ? '–' : duration(s.median_seconds_from_previous), 'num']
      ]);
      tr.dataset.testid = 'funnel-step-' + s.event_type;
      tr.dataset.count = String(s.count);
      return tr;
    }));

    const labels = steps.map((s) => words(s.label || s.event_type));
    const groups = report.breakdown && typeof report.breakdown === 'object' ? Object.entries(report.breakdown) : [];
    let datasets;
    if (groups.length) {
      datasets = groups.slice(0, COLORS.length).map(([value, valueSteps], i) => ({
        label: value,
        data: (valueSteps || []).map((s) => s.count),
        backgroundColor: COLORS[i % COLORS.length]
      }));
    } else {
      datasets = [{ label: 'sessions', data: steps.map((s) => s.count), backgroundColor: COLORS[0] }];
    }
    chart('funnel', 'funnel-chart', 'bar', labels, datasets, {
      plugins: { legend: { display: groups.length > 0 } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    });
    renderBreakdownTable(groups, steps);
  }

  function renderBreakdownTable(groups, steps) {
    const holder = $('funnel-breakdown');
    if (!groups.length) {
      holder.replaceChildren();
      return;
    }
    const table = document.createElement('table');
    table.dataset.testid = 'funnel-breakdown-table';
    const head = document.createElement('thead');
    head.appendChild(row([[state.breakdown, null, 'th']].concat(steps.map((s) => [words(s.label || s.event_type), 'num', 'th']))
      .concat([['conversion', 'num', 'th']])));
    const body = document.createElement('tbody');
    for (const [value, valueSteps] of groups) {
      const list = valueSteps || [];
      const last = list.length ? list[list.length - 1] : null;
      body.appendChild(row([[value]].concat(list.map((s) => [int.format(s.count), 'num']))
        .concat([[last ? pct(last.conversion_from_start) : '–', 'num']])));
    }
    table.append(head, body);
    holder.replaceChildren(table);
  }

  function renderTrends(interval, events, purchases) {
    // every bucket of the range, also the empty ones, so that the line is a timeline
    const step = interval === 'hour' ? 3600000 : 86400000;
    const from = Date.parse(events.from);
    const to = Date.parse(events.to);
    const counts = new Map();
    if (!Number.isNaN(from) && !Number.isNaN(to)) {
      for (let t = Math.floor(from / step) * step; t < to; t += step) {
        counts.set(t, { events: 0, purchases: 0 });
      }
    }
    const at = (bucket) => {
      const t = Date.parse(bucket);
      if (!counts.has(t)) {
        counts.set(t, { events: 0, purchases: 0 });
      }
      return counts.get(t);
    };
    for (const p of events.points || []) {
      at(p.bucket).events = p.events;
    }
    for (const p of purchases.points || []) {
      at(p.bucket).purchases = p.events;
    }
    const keys = Array.from(counts.keys()).filter((k) => !Number.isNaN(k)).sort((a, b) => a - b);
    $('trend-caption').textContent = 'events per ' + interval;
    chart('trend', 'trend-chart', 'line', keys.map((k) => bucketLabel(k, interval)), [
      { label: 'events', data: keys.map((k) => counts.get(k).events), borderColor: COLORS[0], backgroundColor: COLORS[0], tension: 0.25, yAxisID: 'y', pointRadius: 2 },
      { label: 'purchases', data: keys.map((k) => counts.get(k).purchases), borderColor: COLORS[1], backgroundColor: COLORS[1], tension: 0.25, yAxisID: 'y1', pointRadius: 2 }
    ], {
      scales: {
        x: { ticks: { autoSkip: true, maxTicksLimit: 8, maxRotation: 0 } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'events' } },
        y1: { beginAtZero: true, ticks: { precision: 0 }, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'purchases' } }
      }
    });
  }

  function bucketLabel(bucket, interval) {
    const d = new Date(bucket);
    if (interval !== 'hour') {
      return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
    }
    const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return d.getHours() === 0 ? d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + time : time;
  }

  // ---- personas ---------------------------------------------------------------------------------

  async function reloadPersonas() {
    state.personasAt = Date.now();
    const status = $('personas-status');
    const r = await request('/api/personas?' + rangeQuery());
    const panel = $('persona-table').tBodies[0];
    if (!r.ok) {
      status.textContent = 'Personas are not available: ' + r.error;
      status.classList.add('error');
      panel.replaceChildren();
      destroyChart('personas');
      $('persona-chart').parentElement.classList.add('hidden');
      $('persona-table').classList.add('hidden');
      return;
    }
    const personas = Array.isArray(r.body && r.body.personas) ? r.body.personas : [];
    status.classList.remove('error');
    status.textContent = personas.length ? '' : 'No scored session in this range yet.';
    $('personas-caption').textContent = r.body && r.body.model_version ? 'model ' + r.body.model_version : '';
    panel.replaceChildren(...personas.map((p) => {
      const tr = row([
        [p.persona || '(unknown)'],
        [int.format(p.sessions || 0), 'num'],
        [pct(p.share), 'num'],
        [pct(p.conversion_rate), 'num'],
        [money.format(Number(p.revenue || 0)), 'num']
      ]);
      tr.dataset.testid = 'persona-row';
      return tr;
    }));
    $('persona-chart').parentElement.classList.toggle('hidden', personas.length === 0);
    $('persona-table').classList.toggle('hidden', personas.length === 0);
    if (personas.length) {
      chart('personas', 'persona-chart', 'doughnut', personas.map((p) => p.persona), [{
        data: personas.map((p) => p.sessions || 0),
        backgroundColor: personas.map((p, i) => COLORS[i % COLORS.length])
      }], { plugins: { legend: { position: 'right' } } });
    } else {
      destroyChart('personas');
    }
  }

  /** A session got (another) persona: the distribution is worth asking for again, at most every 5 s. */
  function schedulePersonas() {
    if (state.personasTimer) {
      return;
    }
    state.personasTimer = setTimeout(() => {
      state.personasTimer = null;
      reloadPersonas();
    }, Math.max(500, 5000 - (Date.now() - state.personasAt)));
  }

  // ---- insights ---------------------------------------------------------------------------------

  async function askAnalyst() {
    const button = $('insights-button');
    const status = $('insights-status');
    button.disabled = true;
    status.classList.remove('error');
    status.textContent = 'The analyst is looking at the numbers…';
    const body = { hours: state.hours };
    if (state.breakdown) {
      body.breakdown = state.breakdown;
    }
    const r = await request('/api/insights', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    });
    button.disabled = false;
    if (!r.ok) {
      status.textContent = 'The analyst could not answer: ' + r.error;
      status.classList.add('error');
      return;
    }
    const generated = r.body && r.body.generated_at ? new Date(r.body.generated_at) : new Date();
    status.textContent = 'Answered ' + (Number.isNaN(generated.getTime()) ? '' : generated.toLocaleString());
    renderAnalyst(r.body && r.body.analyst);
    renderList('observations', r.body && r.body.observations);
    renderList('recommendations', r.body && r.body.recommendations);
  }

  function renderAnalyst(analyst) {
    const holder = $('insights-analyst');
    const badge = document.createElement('span');
    badge.className = 'badge';
    const detail = document.createElement('span');
    if (analyst && typeof analyst === 'object') {
      const kind = String(analyst.kind || analyst.type || analyst.mode || analyst.name || '').toLowerCase();
      const model = analyst.model || analyst.model_name;
      const isLlm = kind.includes('llm') || (!kind.includes('rule') && model);
      badge.textContent = isLlm ? 'LLM' + (model ? ' · ' + model : '') : 'Rule-based analyst';
      const reason = analyst.reason || analyst.fallback_reason || analyst.note || '';
      detail.textContent = reason ? reason : '';
      holder.dataset.kind = isLlm ? 'llm' : 'rules';
    } else if (typeof analyst === 'string' && analyst) {
      badge.textContent = analyst;
      holder.dataset.kind = analyst.toLowerCase().includes('rule') ? 'rules' : 'llm';
    } else {
      badge.textContent = 'analyst not stated';
      holder.dataset.kind = 'unknown';
    }
    holder.replaceChildren(document.createTextNode('Answered by '), badge, document.createTextNode(' '), detail);
  }

  function renderList(name, items) {
    const list = $('insights-' + name);
    const entries = Array.isArray(items) ? items : [];
    $(name + '-title').classList.toggle('hidden', entries.length === 0);
    list.replaceChildren(...entries.map((item) => {
      const li = document.createElement('li');
      li.textContent = itemText(item);
      if (item && Array.isArray(item.figures) && item.figures.length) {
        const figures = document.createElement('small');
        figures.className = 'figures';
        figures.textContent = 'based on ' + item.figures.join('; ');
        li.appendChild(figures);
      }
      return li;
    }));
  }

  function itemText(item) {
    if (item == null) {
      return '';
    }
    if (typeof item !== 'object') {
      return String(item);
    }
    for (const key of ['text', 'statement', 'recommendation', 'observation', 'message', 'title', 'summary', 'action']) {
      if (typeof item[key] === 'string' && item[key]) {
        return item[key];
      }
    }
    return JSON.stringify(item);
  }

  // ---- live feed --------------------------------------------------------------------------------

  function connectLive() {
    if (typeof EventSource === 'undefined') {
      setLiveStatus('error', 'live updates unsupported by this browser');
      return;
    }
    const source = new EventSource('/api/live');
    source.onopen = () => setLiveStatus('open', 'live');
    source.onerror = () => {
      // the browser reconnects by itself; closed means it gave up
      setLiveStatus(source.readyState === EventSource.CLOSED ? 'error' : 'connecting',
        source.readyState === EventSource.CLOSED ? 'live updates stopped' : 'reconnecting…');
    };
    source.addEventListener('snapshot', (e) => {
      const data = parse(e.data);
      if (data && Array.isArray(data.sessions)) {
        // the feed as it is now (also after the aggregator restarted, when revisions begin again)
        state.rows.clear();
        data.sessions.forEach(upsertRow);
        queueRender();
      }
    });
    source.addEventListener('session', (e) => {
      const row = parse(e.data);
      if (row) {
        const before = state.rows.get(row.session_id);
        upsertRow(row);
        queueRender();
        if (row.prediction && (!before || !before.prediction || before.prediction.persona !== row.prediction.persona)) {
          schedulePersonas();
        }
      }
    });
    source.addEventListener('session_removed', (e) => {
      const data = parse(e.data);
      if (data && data.session_id) {
        state.rows.delete(data.session_id);
        queueRender();
      }
    });
    source.addEventListener('refresh', () => scheduleReload(250));
  }

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  function upsertRow(row) {
    if (!row || !row.session_id) {
      return;
    }
    const known = state.rows.get(row.session_id);
    if (known && known.revision >= row.revision) {
      return;
    }
    row.freshUntil = Date.now() + 1500;
    state.rows.set(row.session_id, row);
  }

  function setLiveStatus(kind, text) {
    const el = $('live-status');
    el.dataset.state = kind;
    el.textContent = text;
  }

  function queueRender() {
    if (state.renderQueued) {
      return;
    }
    state.renderQueued = true;
    setTimeout(() => {
      state.renderQueued = false;
      renderLive();
    }, 50);
  }

  function renderLive() {
    const rows = Array.from(state.rows.values())
      .sort((a, b) => String(b.end || '').localeCompare(String(a.end || '')) || b.revision - a.revision);
    for (const old of rows.slice(MAX_ROWS)) {
      state.rows.delete(old.session_id);
    }
    const now = Date.now();
    const body = $('live-table').tBodies[0];
    body.replaceChildren(...rows.slice(0, MAX_ROWS).map((s) => {
      const tr = row([
        [shortId(s.session_id)],
        [[s.utm_source, s.utm_medium].filter(Boolean).join(' / ') || 'direct'],
        [s.device || '–'],
        [reached(s)],
        [int.format(s.events || 0), 'num'],
        [money.format(Number(s.cart_value || 0)), 'num'],
        [money.format(Number(s.revenue || 0)), 'num'],
        [probability(s.prediction)],
        [s.prediction ? s.prediction.persona || '–' : pending()],
        [incentive(s.prediction)]
      ]);
      tr.dataset.testid = 'live-session';
      tr.dataset.sessionId = s.session_id;
      tr.dataset.furthestStep = String(s.furthest_step);
      tr.dataset.purchases = String(s.purchases || 0);
      tr.dataset.predicted = s.prediction ? 'true' : 'false';
      tr.title = s.session_id + (s.visitor_id ? ' · visitor ' + s.visitor_id : '');
      if (s.freshUntil > now) {
        tr.className = 'fresh';
      }
      return tr;
    }));
    $('live-empty').classList.toggle('hidden', rows.length > 0);
  }

  function reached(s) {
    const span = document.createElement('span');
    span.className = 'tag' + (s.purchases > 0 ? ' purchase' : '');
    span.textContent = STEP_LABELS[s.furthest_step] || (s.last_event || '–');
    return span;
  }

  function probability(p) {
    if (!p) {
      return pending();
    }
    const wrap = document.createElement('span');
    wrap.className = 'prob';
    wrap.dataset.testid = 'live-probability';
    const bar = document.createElement('span');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = Math.max(0, Math.min(100, Number(p.purchase_probability) * 100)) + '%';
    bar.appendChild(fill);
    const text = document.createElement('span');
    text.textContent = pct(p.purchase_probability);
    if (p.confidence_low != null && p.confidence_high != null) {
      wrap.title = 'between ' + pct(p.confidence_low) + ' and ' + pct(p.confidence_high) + (p.model_version ? ' · model ' + p.model_version : '');
    }
    wrap.append(bar, text);
    return wrap;
  }

  function incentive(p) {
    if (!p) {
      return pending();
    }
    const span = document.createElement('span');
    span.textContent = p.held_out ? (p.incentive || 'none') + ' (held out)' : (p.incentive || 'none');
    if (p.incentive_reason) {
      span.title = p.incentive_reason;
    }
    return span;
  }

  function pending() {
    const span = document.createElement('span');
    span.className = 'pending';
    span.dataset.testid = 'live-pending';
    span.textContent = 'pending';
    return span;
  }

  function shortId(id) {
    const text = String(id);
    return text.length > 14 ? text.slice(0, 6) + '…' + text.slice(-6) : text;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** A table row; each cell is [content (text or node), class, tag]. */
  function row(cells) {
    const tr = document.createElement('tr');
    for (const [content, cls, tag] of cells) {
      const cell = document.createElement(tag || 'td');
      if (cls) {
        cell.className = cls;
      }
      if (content instanceof Node) {
        cell.appendChild(content);
      } else {
        cell.textContent = content == null ? '' : String(content);
      }
      tr.appendChild(cell);
    }
    return tr;
  }

  function duration(seconds) {
    const s = Math.round(Number(seconds));
    if (s < 60) {
      return s + ' s';
    }
    if (s < 3600) {
      return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    }
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  function chart(key, canvasId, type, labels, datasets, extra) {
    if (typeof window.Chart === 'undefined') {
      return;
    }
    const options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: { duration: 250 } }, extra || {});
    const existing = state.charts[key];
    if (existing && existing.config.type === type) {
      existing.data.labels = labels;
      existing.data.datasets = datasets;
      existing.options = options;
      existing.update();
      return;
    }
    destroyChart(key);
    state.charts[key] = new window.Chart($(canvasId), { type, data: { labels, datasets }, options });
  }

  function destroyChart(key) {
    if (state.charts[key]) {
      state.charts[key].destroy();
      delete state.charts[key];
    }
  }

  // ---- start ------------------------------------------------------------------------------------

  async function signOut() {
    // the sign-out endpoint takes only JSON or form bodies; without one the session would stay
    await request('/signout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    window.location.assign('/signin');
  }

  async function start() {
    const me = await request('/api/session');
    if (!me.ok) {
      return;
    }
    session.scope = me.body.scope;
    session.csrf = me.body.csrf_token || null;
    $('session-scope').textContent = me.body.scope + (me.body.label ? ' · ' + me.body.label : '');
    $('signout-button').addEventListener('click', () => {
      signOut();
    });
    // another page of the dashboard (leads.html) brings its own code and uses these helpers
    const page = document.body.dataset.page;
    if (page && window.FunnelFlowPages && window.FunnelFlowPages[page]) {
      window.FunnelFlowPages[page]({ request, row, chart, destroyChart, int, pct, colors: COLORS });
      return;
    }
    $('range').addEventListener('change', (e) => {
      state.hours = Number(e.target.value) || 24;
      scheduleReload(0);
      reloadPersonas();
    });
    $('breakdown').addEventListener('change', (e) => {
      state.breakdown = e.target.value;
      scheduleReload(0);
    });
    $('insights-button').addEventListener('click', () => {
      askAnalyst();
    });
    connectLive();
    reloadNumbers();
    reloadPersonas();
    // a moving range ("last hour") changes even when no data does
    setInterval(() => scheduleReload(0), 60000);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
