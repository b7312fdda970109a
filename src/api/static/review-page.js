/* global document, sessionStorage, fetch */
// The review page: posts the patch to /v1/reviews and shows the diff with each finding on its line,
// its verdict, the witness path step by step, and the proven fix as a diff. Plain DOM, no framework;
// text from the server only ever goes through textContent.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const form = $('review-form');
  const patchInput = $('patch');
  const fileInput = $('patch-file');
  const tokenInput = $('token');
  const showRefuted = $('show-refuted');
  const rulesInput = $('rules');
  const submit = $('submit');
  const status = $('status');
  const results = $('results');

  const TOKEN_KEY = 'patch-review-token';
  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) ?? '';

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
    return node;
  }

  function say(message, isError = false) {
    status.textContent = message;
    status.classList.toggle('error', isError);
  }

  // ---- input: paste, choose or drop a file ----
  async function loadFile(file) {
    if (!file) return;
    patchInput.value = await file.text();
    say(`Loaded ${file.name} (${file.size} bytes).`);
  }
  fileInput.addEventListener('change', () => loadFile(fileInput.files[0]));
  for (const type of ['dragenter', 'dragover']) {
    patchInput.addEventListener(type, (event) => {
      event.preventDefault();
      patchInput.classList.add('dropping');
    });
  }
  patchInput.addEventListener('dragleave', () => patchInput.classList.remove('dropping'));
  patchInput.addEventListener('drop', (event) => {
    event.preventDefault();
    patchInput.classList.remove('dropping');
    loadFile(event.dataTransfer?.files?.[0]);
  });

  // ---- the diff, parsed here so findings and witness steps can be placed on its lines ----
  const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

  /** Files of the input with their rows; each post-image row knows its new line number. */
  function parseDiff(text) {
    const raw = text.replace(/\r\n?/g, '\n').split('\n');
    // A patch quoted in a reply: strip the quote marks when the hunk headers are quoted.
    const quoted = raw.some((l) => /^(> ?)+@@ -\d/.test(l));
    const lines = quoted ? raw.map((l) => l.replace(/^(> ?)+/, '')) : raw;
    const files = [];
    let file = null;
    let patch = 0;
    let sawDiff = false;
    let hunk = null;
    for (const line of lines) {
      if (hunk && (hunk.oldLeft > 0 || hunk.newLeft > 0)) {
        const mark = line[0];
        if (mark === '+') {
          file.rows.push({ kind: 'add', text: line.slice(1), newLine: hunk.newLine++ });
          hunk.newLeft--;
          continue;
        }
        if (mark === '-' && !line.startsWith('--- ')) {
          file.rows.push({ kind: 'del', text: line.slice(1), oldLine: hunk.oldLine++ });
          hunk.oldLeft--;
          continue;
        }
        if (mark === ' ' || line === '') {
          file.rows.push({ kind: 'context', text: line.slice(1), newLine: hunk.newLine++, oldLine: hunk.oldLine++ });
          hunk.oldLeft--;
          hunk.newLeft--;
          continue;
        }
        if (mark === '\\') {
          file.rows.push({ kind: 'meta', text: line });
          continue;
        }
        hunk = null; // the counts were wrong: fall through and read the line as a header
      }
      if (/^From [0-9a-f]{7,40} /.test(line) && sawDiff) patch++;
      const git = /^diff --git a\/(.+) b\/(.+)$/.exec(line);
      const plus = /^\+\+\+ (?:b\/)?(.+?)(\t.*)?$/.exec(line);
      const header = HUNK.exec(line);
      if (git) {
        file = { path: git[2], patch, rows: [{ kind: 'file', text: line }] };
        files.push(file);
        sawDiff = true;
        hunk = null;
      } else if (plus) {
        const path = plus[1] === '/dev/null' ? file?.path : plus[1];
        if (!file || file.path !== path || file.rows.some((r) => r.kind === 'hunk')) {
          file = { path, patch, rows: [] };
          files.push(file);
          sawDiff = true;
        }
        file.rows.push({ kind: 'file', text: line });
      } else if (header && file) {
        hunk = {
          oldLine: Number(header[1]),
          oldLeft: header[2] === undefined ? 1 : Number(header[2]),
          newLine: Number(header[3]),
          newLeft: header[4] === undefined ? 1 : Number(header[4]),
        };
        file.rows.push({ kind: 'hunk', text: line });
      } else if (file && /^(--- |index |new file|deleted file|similarity|rename |old mode|new mode)/.test(line)) {
        file.rows.push({ kind: 'file', text: line });
      }
    }
    return files;
  }

  // ---- rendering ----
  const key = (patch, file, line) => `${patch}\u0000${file}\u0000${line}`;

  function renderDiff(files) {
    const container = $('diff');
    container.replaceChildren();
    const rowsByKey = new Map();
    const textByKey = new Map();
    files.forEach((file, f) => {
      const table = el('div', { class: 'file', role: 'group', 'aria-label': file.path });
      table.append(el('h3', { class: 'file-name', text: file.path }));
      file.rows.forEach((row, r) => {
        const lineNo = row.newLine ?? row.oldLine ?? '';
        const marker = row.kind === 'add' ? '+' : row.kind === 'del' ? '-' : row.kind === 'context' ? ' ' : '';
        const div = el(
          'div',
          { class: `row ${row.kind}`, id: `row-${f}-${r}`, tabindex: '-1' },
          el('span', { class: 'ln', 'aria-hidden': 'true', text: String(lineNo) }),
          el('span', { class: 'code' }, el('span', { class: 'mark', 'aria-hidden': 'true', text: marker }), row.text),
        );
        if (row.kind === 'add') div.setAttribute('aria-label', `added line ${lineNo}: ${row.text}`);
        table.append(div);
        if (row.newLine !== undefined) {
          for (const k of [key(file.patch, file.path, row.newLine), key('*', file.path, row.newLine)]) {
            if (!rowsByKey.has(k)) rowsByKey.set(k, div);
            if (!textByKey.has(k)) textByKey.set(k, row.text);
          }
        }
      });
      container.append(table);
    });
    return { rowsByKey, textByKey };
  }

  const rowFor = (index, patch, file, line) => index.rowsByKey.get(key(patch, file, line)) ?? index.rowsByKey.get(key('*', file, line));

  function verdictBadge(verdict) {
    return el('span', { class: `verdict verdict-${verdict}`, text: verdict });
  }

  /** The fix as a diff: the replaced post-image lines, then the proven rewrite. */
  function fixDiff(finding, index) {
    const fix = finding.fix;
    const pre = el('pre', { class: 'fix-diff', 'aria-label': `proposed change to ${fix.file}` });
    for (const r of fix.replacements) {
      pre.append(el('span', { class: 'fix-hunk', text: `@@ ${fix.file}:${r.startLine}${r.endLine !== r.startLine ? `-${r.endLine}` : ''} @@\n` }));
      const original =
        typeof r.original === 'string'
          ? r.original.split('\n')
          : Array.from({ length: r.endLine - r.startLine + 1 }, (_, i) => index.textByKey.get(key(finding.patch, fix.file, r.startLine + i)) ?? index.textByKey.get(key('*', fix.file, r.startLine + i)) ?? '');
      for (const line of original) pre.append(el('span', { class: 'fix-del', text: `-${line}\n` }));
      if (r.text !== '') for (const line of r.text.split('\n')) pre.append(el('span', { class: 'fix-add', text: `+${line}\n` }));
    }
    return el('div', { class: 'fix' }, el('p', {}, el('strong', { text: 'Proven fix: ' }), fix.description), pre);
  }

  function witness(finding, index, id) {
    const steps = finding.evidence.steps ?? [];
    if (steps.length === 0) return null;
    const list = el('ol', { class: 'steps', id: `${id}-steps` });
    const live = el('p', { class: 'step-now', 'aria-live': 'polite' });
    let current = -1;
    const rows = steps.map((s) => (s.line > 0 ? rowFor(index, finding.patch, s.file, s.line) : undefined));
    const items = steps.map((s, i) =>
      el('li', { class: 'step' }, el('button', { type: 'button', class: 'step-button', onclick: () => go(i) }, `${s.file}:${s.line || '?'}`), ` ${s.text}`),
    );
    list.append(...items);
    function clear() {
      for (const row of document.querySelectorAll('.row.witness, .row.witness-current')) {
        row.classList.remove('witness', 'witness-current');
        row.removeAttribute('data-step');
      }
      for (const item of document.querySelectorAll('.step.current')) item.classList.remove('current');
    }
    function go(i) {
      clear();
      current = Math.max(0, Math.min(steps.length - 1, i));
      rows.forEach((row, n) => {
        if (!row) return;
        row.classList.add('witness');
        row.dataset.step = String(n + 1);
      });
      items[current].classList.add('current');
      const row = rows[current];
      if (row) {
        row.classList.add('witness-current');
        row.scrollIntoView({ block: 'center' });
      }
      live.textContent = `Step ${current + 1} of ${steps.length}: ${steps[current].text}${row ? '' : ' (this line is not in the diff)'}`;
      prev.disabled = current === 0;
      next.disabled = current === steps.length - 1;
    }
    const prev = el('button', { type: 'button', class: 'prev-step', onclick: () => go(current - 1), disabled: true }, 'Previous step');
    const next = el('button', { type: 'button', class: 'next-step', onclick: () => go(current + 1) }, 'Walk the witness path');
    next.addEventListener('click', () => (next.textContent = 'Next step'));
    return el('div', { class: 'witness-path' }, el('p', {}, el('strong', { text: 'Witness path' })), list, el('div', { class: 'step-controls' }, prev, next), live);
  }

  function findingCard(finding, index, n, isRefuted) {
    const id = `${isRefuted ? 'refuted' : 'finding'}-${n}`;
    const card = el(
      'article',
      { class: `finding severity-${finding.severity} verdict-${finding.verdict}-card`, id, tabindex: '-1', 'aria-labelledby': `${id}-title` },
      el('h4', { id: `${id}-title` }, el('span', { class: `severity sev-${finding.severity}`, text: finding.severity }), ' ', verdictBadge(finding.verdict), ' ', el('code', { text: finding.ruleId }), ` in ${finding.function}() at ${finding.file}:${finding.line}`),
      el('p', { class: 'message', text: finding.message }),
      el('p', { class: 'story' }, el('strong', { text: `${finding.verdict === 'verified' ? 'Verified' : finding.verdict === 'refuted' ? 'Refuted' : 'Inconclusive'}: ` }), finding.evidence.story || 'no further detail'),
    );
    if (finding.evidence.assumptions?.length) card.append(el('ul', { class: 'assumptions', 'aria-label': 'Assumptions' }, finding.evidence.assumptions.map((a) => el('li', { text: `assumes ${a}` }))));
    if (finding.evidence.reliedOn?.length) card.append(el('ul', { class: 'relied', 'aria-label': 'Why the call can fail' }, finding.evidence.reliedOn.map((a) => el('li', { text: a }))));
    const path = witness(finding, index, id);
    if (path) card.append(path);
    if (finding.fix) card.append(fixDiff(finding, index));
    if (finding.source?.quote) card.append(el('blockquote', { class: 'source' }, el('p', { text: finding.source.quote }), el('footer', { text: `${finding.source.reviewer}, ${finding.source.list}, ${finding.source.date}` })));
    return card;
  }

  function render(review) {
    const files = parseDiff(patchInput.value);
    const index = renderDiff(files);
    const findings = review.findings ?? [];
    const verified = findings.filter((f) => f.verdict === 'verified').length;
    $('summary').textContent =
      findings.length === 0
        ? `No findings (${review.stats.functions} function${review.stats.functions === 1 ? '' : 's'} reviewed, ${review.stats.pathsSimulated} paths simulated).`
        : `${findings.length} finding${findings.length === 1 ? '' : 's'} (${verified} verified, ${findings.length - verified} inconclusive) in ${review.stats.functions} function${review.stats.functions === 1 ? '' : 's'}; ${review.stats.pathsSimulated} paths simulated. Outcome: ${review.outcome?.result ?? 'n/a'}.`;
    $('notes').replaceChildren(...(review.notes ?? []).map((n) => el('li', { text: n })));

    const indexList = $('finding-index');
    indexList.replaceChildren();
    const unanchored = $('unanchored');
    unanchored.replaceChildren();
    findings.forEach((finding, n) => {
      const card = findingCard(finding, index, n, false);
      const row = rowFor(index, finding.patch, finding.file, finding.line);
      if (row) {
        row.classList.add('flagged');
        row.after(card);
      } else {
        unanchored.append(card);
      }
      indexList.append(el('li', {}, el('a', { href: `#finding-${n}` }, `${finding.file}:${finding.line} `, verdictBadge(finding.verdict), ` ${finding.message}`)));
    });
    $('unanchored-section').hidden = unanchored.childElementCount === 0;

    const refuted = review.refuted ?? [];
    $('refuted').replaceChildren(...refuted.map((f, n) => findingCard(f, index, n, true)));
    $('refuted-section').hidden = refuted.length === 0;

    const warnings = review.warnings ?? [];
    $('warnings').replaceChildren(...warnings.map((w) => el('li', { text: `${w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : ''}${w.message}` })));
    $('warning-count').textContent = String(warnings.length);
    $('warnings-section').hidden = warnings.length === 0;

    results.hidden = false;
    results.focus();
  }

  async function problemText(response) {
    try {
      const problem = await response.json();
      const retry = response.headers.get('Retry-After');
      return `${problem.title ?? response.statusText}: ${problem.detail ?? ''}${retry ? ` (retry in ${retry} s)` : ''}`;
    } catch {
      return `${response.status} ${response.statusText}`;
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const patch = patchInput.value;
    if (patch.trim() === '') {
      say('Paste a patch first, or drop a file on the text box.', true);
      patchInput.focus();
      return;
    }
    const rules = rulesInput.value.split(',').map((r) => r.trim()).filter(Boolean);
    const token = tokenInput.value.trim();
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    say('Reviewing: simulating the changed functions…');
    try {
      const response = await fetch('/v1/reviews', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ patch, options: { showRefuted: showRefuted.checked, ...(rules.length > 0 ? { rules } : {}) } }),
      });
      if (!response.ok) {
        say(await problemText(response), true);
        return;
      }
      const review = await response.json();
      render(review);
      say(`Review done: ${review.findings.length} finding${review.findings.length === 1 ? '' : 's'}.`);
    } catch (error) {
      say(`The request failed: ${error.message}`, true);
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
})();
