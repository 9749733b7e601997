/**
 * The report's script, inlined: filters (failed only, IdP, feature or tag, scorecard area, text),
 * deep links (`#scenario-<id>` opens and shows that scenario), expand and collapse all. It reads
 * the page's data from `data-` attributes and only ever writes text, never markup.
 */
export const SCRIPT = `
(() => {
  'use strict';
  const byId = (id) => document.getElementById(id);
  const failedOnly = byId('failed-only');
  const idpFilter = byId('idp-filter');
  const labelFilter = byId('label-filter');
  const search = byId('search');
  const areaChip = byId('area-chip');
  const areaName = byId('area-name');
  const shown = byId('shown');
  const areaButtons = Array.from(document.querySelectorAll('button.area'));
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
    text: el.getAttribute('data-text') || '',
  }));
  let area = '';

  function apply() {
    const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let count = 0;
    for (const s of scenarios) {
      const visible =
        (!failedOnly.checked || s.status === 'failed' || s.status === 'error') &&
        (!idpFilter.value || s.idp === idpFilter.value) &&
        (!labelFilter.value || s.labels.includes(labelFilter.value)) &&
        (!area || s.rows.includes(area)) &&
        words.every((w) => s.text.includes(w));
      s.el.hidden = !visible;
      if (visible) count++;
    }
    shown.textContent = count + ' of ' + scenarios.length + ' scenarios shown';
    for (const button of areaButtons) button.setAttribute('aria-pressed', String(button.getAttribute('data-row') === area));
    areaChip.hidden = area === '';
    const pressed = areaButtons.find((b) => b.getAttribute('data-row') === area);
    areaName.textContent = pressed ? pressed.closest('.card').querySelector('h3').textContent + ' · ' + pressed.textContent : '';
  }

  function clearFilters() {
    failedOnly.checked = false;
    idpFilter.value = '';
    labelFilter.value = '';
    search.value = '';
    area = '';
  }

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

  for (const control of [failedOnly, idpFilter, labelFilter]) control.addEventListener('change', apply);
  search.addEventListener('input', apply);
  for (const button of areaButtons) {
    button.addEventListener('click', () => {
      const row = button.getAttribute('data-row');
      area = area === row ? '' : row;
      apply();
      if (area) byId('scenarios').scrollIntoView({ block: 'start' });
    });
  }
  byId('area-clear').addEventListener('click', () => {
    area = '';
    apply();
  });
  byId('expand-all').addEventListener('click', () => {
    for (const s of scenarios) if (!s.el.hidden) s.el.open = true;
  });
  byId('collapse-all').addEventListener('click', () => {
    for (const s of scenarios) s.el.open = false;
  });
  window.addEventListener('hashchange', fromHash);
  apply();
  fromHash();
})();
`;
