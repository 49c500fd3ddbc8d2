// autocoder's page: the runs list (GET /v1/runs, refreshed every 2 s) and a run's page (#run=ID: GET /v1/runs/ID,
// then its live events over Server-Sent Events while it runs). Plain JavaScript, no build step.
'use strict';

const main = document.getElementById('main');
let refresh = null;
let source = null;

function text(value) {
  const span = document.createElement('span');
  span.textContent = value == null ? '' : String(value);
  return span.innerHTML;
}

function statusOf(run) {
  if (run.status === 'running') return ['running', 'running'];
  if (run.status === 'interrupted') return ['interrupted', 'interrupted'];
  return run.solved ? ['solved', 'solved'] : ['failed', 'not solved (' + (run.stop_reason || 'error') + ')'];
}

async function showList() {
  document.getElementById('where').textContent = 'runs';
  const answer = await fetch('/v1/runs?limit=100');
  const runs = (await answer.json()).runs || [];
  if (!runs.length) { main.innerHTML = '<p id="empty">No runs yet.</p>'; return; }
  main.innerHTML = '<table id="runs"><tr><th>status</th><th>task</th><th>iterations</th><th>tests passing</th><th>tokens</th>'
    + '<th>cost</th><th>time</th><th>model</th></tr>'
    + runs.map((run) => {
      const [kind, label] = statusOf(run);
      return `<tr data-id="${text(run.id)}"><td class="status ${kind}">${text(label)}</td>`
        + `<td><a href="#run=${text(run.id)}">${text(run.task)}</a></td><td class="num">${run.iterations}</td>`
        + `<td class="num tests">${run.tests_total == null ? '–' : run.tests_passed + '/' + run.tests_total}</td>`
        + `<td class="num">${run.prompt_tokens + run.completion_tokens}</td>`
        + `<td class="num">${run.cost_usd == null ? '–' : '$' + run.cost_usd.toFixed(4)}</td>`
        + `<td class="num">${run.duration_ms == null ? '–' : (run.duration_ms / 1000).toFixed(1) + ' s'}</td>`
        + `<td>${text(run.model || run.provider)}</td></tr>`;
    }).join('') + '</table>';
}

// A line diff (longest common subsequence), as + / - / context lines.
function diff(before, after) {
  const a = before.split('\n'), b = after.split('\n');
  const table = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const lines = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { lines.push(['ctx', '  ' + a[i]]); i++; j++; }
    else if (i < a.length && (j === b.length || table[i + 1][j] >= table[i][j + 1])) { lines.push(['del', '- ' + a[i]]); i++; }
    else { lines.push(['add', '+ ' + b[j]]); j++; }
  }
  return lines.map(([kind, line]) => `<span class="${kind}">${text(line)}</span>`).join('\n');
}

async function showRun(id) {
  document.getElementById('where').textContent = 'run ' + id.slice(0, 8);
  const answer = await fetch('/v1/runs/' + encodeURIComponent(id));
  if (!answer.ok) { main.innerHTML = '<p>No such run.</p>'; return; }
  const stored = await answer.json();
  const run = stored.run;
  const [kind, label] = statusOf(run);
  let previous = {};
  const steps = (stored.steps || []).map((step) => {
    const files = Object.fromEntries((step.files || []).map((file) => [file.path, file.content]));
    const changes = Object.keys(files).map((path) =>
      `<div>${text(path)}</div><pre class="diff">${diff(previous[path] || '', files[path])}</pre>`).join('');
    previous = { ...previous, ...files };
    const result = step.test_result;
    const tests = result ? '<ul class="tests">' + (result.tests || []).filter((test) => test.outcome !== 'passed')
      .map((test) => `<li class="${test.outcome}">${text(test.name)}: ${text(test.message || test.outcome)}</li>`).join('')
      + '</ul>' : '';
    const verdict = result ? `${result.num_passed} passed, ${result.num_failed} failed · ${text(result.outcome)}` : 'not tested';
    return `<section class="iteration"><h3>Iteration ${step.iteration} (${text(step.type)})</h3>`
      + `<div class="meta">${verdict}</div>${tests}${changes}</section>`;
  }).join('');
  const final = Object.entries(previous).map(([path, content]) =>
    `<div>${text(path)}</div><pre>${text(content)}</pre>`).join('');
  main.innerHTML = `<h2>${text(run.task)}</h2>`
    + `<p id="verdict" class="status ${kind}">${text(label)}</p>`
    + `<p class="meta">stop reason: <span id="stop">${text(run.stop_reason || '–')}</span> · ${run.iterations} iteration(s) · `
    + `${run.prompt_tokens + run.completion_tokens} tokens · ${text(run.model || run.provider)}</p>`
    + steps + (final ? '<h3>Final files</h3>' + final : '');
  if (run.status === 'running' && !source) {
    source = new EventSource('/v1/runs/' + encodeURIComponent(id) + '/events');
    source.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (event.type === 'iteration.finished' || event.type === 'run.finished') showRun(id);
      if (event.type === 'run.finished') { source.close(); source = null; }
    };
    source.onerror = () => { source.close(); source = null; };
  }
}

function route() {
  if (refresh) { clearInterval(refresh); refresh = null; }
  if (source) { source.close(); source = null; }
  const match = location.hash.match(/^#run=(.+)$/);
  if (match) {
    showRun(decodeURIComponent(match[1]));
  } else {
    showList();
    refresh = setInterval(showList, 2000);
  }
}

window.addEventListener('hashchange', route);
route();
