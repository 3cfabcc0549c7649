/*
 * FunnelFlow leads page: the stage funnel, health and track distributions, the lead table with reasons and
 * the override log, from crm-service through the aggregator (/api/crm/*). Every call goes through the
 * dashboard's request() (app.js), which handles the session and the CSRF token.
 */
'use strict';

window.FunnelFlowPages = window.FunnelFlowPages || {};
window.FunnelFlowPages.leads = function (ui) {
  const $ = (id) => document.getElementById(id);
  const state = { after: null };

  function status(text, error) {
    const el = $('crm-status');
    el.textContent = text;
    el.classList.toggle('error', Boolean(error));
  }

  async function loadFunnel() {
    const r = await ui.request('/api/crm/funnel');
    if (!r.ok) {
      status('The CRM is not available: ' + r.error, true);
      return;
    }
    const stages = Array.isArray(r.body.stages) ? r.body.stages : [];
    const body = $('stage-table').tBodies[0];
    body.replaceChildren(...stages.map((s) => {
      const tr = ui.row([
        [s.stage],
        [ui.int.format(s.current || 0), 'num'],
        [ui.int.format(s.reached || 0), 'num'],
        [s.conversion_from_previous == null ? '–' : ui.pct(s.conversion_from_previous), 'num'],
        [s.stage === 'Lead' ? '–' : ui.int.format(s.drop_off || 0), 'num'],
        [s.median_days_in_stage == null ? '–' : String(s.median_days_in_stage), 'num']
      ]);
      tr.dataset.testid = 'stage-' + s.stage;
      tr.dataset.current = String(s.current || 0);
      return tr;
    }));
    ui.chart('stages', 'stage-chart', 'bar', stages.map((s) => s.stage), [
      { label: 'now', data: stages.map((s) => s.current || 0), backgroundColor: ui.colors[0] },
      { label: 'reached', data: stages.map((s) => s.reached || 0), backgroundColor: ui.colors[1] }
    ], { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } });
    doughnut('health', 'health-chart', r.body.engagement_health || {});
    doughnut('tracks', 'track-chart', r.body.nurture_track || {});
    document.body.dataset.funnelLoaded = 'true';
    status('Updated ' + new Date().toLocaleTimeString(), false);
  }

  function doughnut(key, canvas, counts) {
    const labels = Object.keys(counts);
    ui.chart(key, canvas, 'doughnut', labels, [{
      data: labels.map((k) => counts[k]),
      backgroundColor: labels.map((k, i) => ui.colors[i % ui.colors.length])
    }], { plugins: { legend: { position: 'right' } } });
  }

  async function loadLeads(append) {
    const params = new URLSearchParams({ limit: '100' });
    if ($('filter-stage').value) {
      params.set('stage', $('filter-stage').value);
    }
    if ($('filter-health').value) {
      params.set('health', $('filter-health').value);
    }
    if (append && state.after) {
      params.set('after', state.after);
    }
    const r = await ui.request('/api/crm/leads?' + params.toString());
    if (!r.ok) {
      status('Leads are not available: ' + r.error, true);
      return;
    }
    const leads = Array.isArray(r.body.leads) ? r.body.leads : [];
    state.after = r.body.next || null;
    $('leads-more').classList.toggle('hidden', !state.after);
    const rows = leads.map((l) => {
      const field = (f) => (l[f] && l[f].value != null ? l[f].value : '–');
      const stage = document.createElement('span');
      stage.className = 'tag';
      stage.textContent = field('stage') + (l.overrides && l.overrides.stage ? ' (set by hand)' : '');
      const tr = ui.row([
        [l.lead_id],
        [stage],
        [l.stage ? l.stage.reason : ''],
        [field('intent_score'), 'num'],
        [(l.top_signals || []).map((c) => c.signal + ' +' + c.points).join(', ')],
        [field('engagement_health')],
        [field('nurture_track')],
        [field('owner_team')],
        [field('sales_owner')]
      ]);
      tr.dataset.testid = 'lead-row';
      tr.title = [l.engagement_health && l.engagement_health.reason, l.nurture_track && l.nurture_track.reason]
        .filter(Boolean).join(' · ');
      return tr;
    });
    const body = $('lead-table').tBodies[0];
    if (append) {
      body.append(...rows);
    } else {
      body.replaceChildren(...rows);
    }
    $('leads-caption').textContent = body.rows.length + ' shown';
  }

  async function loadOverrides() {
    const r = await ui.request('/api/crm/overrides?limit=50');
    if (!r.ok) {
      return;
    }
    const entries = Array.isArray(r.body.overrides) ? r.body.overrides : [];
    $('override-table').tBodies[0].replaceChildren(...entries.map((o) => ui.row([
      [new Date(o.at).toLocaleString()], [o.lead_id], [o.field], [o.action], [o.previous || '–'], [o.value || '–'], [o.by || ''], [o.why || '']
    ])));
    $('override-empty').classList.toggle('hidden', entries.length > 0);
  }

  $('filter-stage').addEventListener('change', () => loadLeads(false));
  $('filter-health').addEventListener('change', () => loadLeads(false));
  $('leads-more').addEventListener('click', () => loadLeads(true));
  loadFunnel();
  loadLeads(false);
  loadOverrides();
  setInterval(() => {
    loadFunnel();
    loadOverrides();
  }, 30000);
};
