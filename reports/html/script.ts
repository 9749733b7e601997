/**
 * The report's script, inlined: filters (failed only, status, IdP, what a scenario requires or
 * covers or its tag, scorecard area or root cause, text), deep links (`#scenario-<id>` opens and
 * shows that scenario), expand and collapse all. It reads the page's data from `data-` attributes
 * and only ever writes text, never markup.
 */
export const SCRIPT = `
(() => {
  'use strict';
  const byId = (id) => document.getElementById(id);
  const failedOnly = byId('failed-only');
  const statusFilter = byId('status-filter');
  const idpFilter = byId('idp-filter');
  const labelFilter = byId('label-filter');
  const search = byId('search');
  const areaChip = byId('area-chip');
  const areaName = byId('area-name');
  const shown = byId('shown');
  const areaButtons = Array.from(document.querySelectorAll('button.area'));
  const causeButtons = Array.from(document.querySelectorAll('button.cause'));
  const list = (el, name) => {
    try {
      const value = JSON.parse(el.getAttribute('data-' + name) || '[]');
      return Array.isArray(value) ? value : [];
    } catch {
      return [];
    }
  };
  const scenarios = Array.from(document.querySelectorAll('details.scenario')).map((el) => ({
    el,
    status: el.getAttribute('data-status'),
    idp: el.getAttribute('data-idp'),
    labels: list(el, 'labels'),
    rows: list(el, 'rows'),
    cause: el.getAttribute('data-cause') || '',
    text: el.getAttribute('data-text') || '',
  }));
  // A scorecard row or a root cause, chosen by its button: one at a time.
  let area = '';
  let cause = '';

  function apply() {
    const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let count = 0;
    for (const s of scenarios) {
      const visible =
        (!failedOnly.checked || s.status === 'failed' || s.status === 'error') &&
        (!statusFilter.value || s.status === statusFilter.value) &&
        (!idpFilter.value || s.idp === idpFilter.value) &&
        (!labelFilter.value || s.labels.includes(labelFilter.value)) &&
        (!area || s.rows.includes(area)) &&
        (!cause || s.cause === cause) &&
        words.every((w) => s.text.includes(w));
      s.el.hidden = !visible;
      if (visible) count++;
    }
    shown.textContent = count + ' of ' + scenarios.length + ' scenarios shown';
    for (const button of areaButtons) button.setAttribute('aria-pressed', String(button.getAttribute('data-row') === area));
    for (const button of causeButtons) button.setAttribute('aria-pressed', String(button.getAttribute('data-cause') === cause));
    areaChip.hidden = area === '' && cause === '';
    const pressedArea = areaButtons.find((b) => b.getAttribute('data-row') === area);
    const pressedCause = causeButtons.find((b) => b.getAttribute('data-cause') === cause);
    if (pressedArea) areaName.textContent = 'Area: ' + pressedArea.closest('.card').querySelector('h3').textContent + ' · ' + pressedArea.textContent;
    else if (pressedCause) areaName.textContent = 'Cause: ' + pressedCause.closest('li.cause').querySelector('.cause-summary').textContent;
    else areaName.textContent = '';
  }

  function clearFilters() {
    failedOnly.checked = false;
    statusFilter.value = '';
    idpFilter.value = '';
    labelFilter.value = '';
    search.value = '';
    area = '';
    cause = '';
  }

  // Scrolled-to scenarios stop below the sticky controls (scroll-margin-top in the style), however tall they wrap.
  const controls = document.querySelector('.controls');
  const keepControlsHeight = () => document.documentElement.style.setProperty('--controls-height', controls.offsetHeight + 'px');

  /** Opens every collapsed block around the element, shows it even if filtered out, and scrolls to it. */
  function reveal(id) {
    const target = byId(id);
    if (!target) return;
    const scenario = target.closest('details.scenario');
    if (scenario && scenario.hidden) {
      clearFilters();
      apply();
    }
    for (let el = target; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
    // The ResizeObserver reports after layout, too late for a link followed right after a resize.
    keepControlsHeight();
    target.scrollIntoView({ block: 'start' });
  }

  function fromHash() {
    if (location.hash.length < 2) return;
    let id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      // Not percent-encoded text: the id as written.
    }
    reveal(id);
  }

  for (const control of [failedOnly, statusFilter, idpFilter, labelFilter]) control.addEventListener('change', apply);
  search.addEventListener('input', apply);
  for (const button of areaButtons) {
    button.addEventListener('click', () => {
      const row = button.getAttribute('data-row');
      area = area === row ? '' : row;
      cause = '';
      apply();
      if (area) byId('scenarios').scrollIntoView({ block: 'start' });
    });
  }
  for (const button of causeButtons) {
    button.addEventListener('click', () => {
      const key = button.getAttribute('data-cause');
      cause = cause === key ? '' : key;
      area = '';
      apply();
      if (cause) byId('scenarios').scrollIntoView({ block: 'start' });
    });
  }
  byId('area-clear').addEventListener('click', () => {
    area = '';
    cause = '';
    apply();
  });
  byId('expand-all').addEventListener('click', () => {
    for (const s of scenarios) if (!s.el.hidden) s.el.open = true;
  });
  byId('collapse-all').addEventListener('click', () => {
    for (const s of scenarios) s.el.open = false;
  });
  new ResizeObserver(keepControlsHeight).observe(controls);
  keepControlsHeight();
  window.addEventListener('hashchange', fromHash);
  apply();
  fromHash();
})();
`;
