/**
 * The web UI: ask, follow up, see ranked answers with their evidence, judge them, use the
 * community board. Data reaches the page as text (textContent, Text nodes), so a question or
 * answer holding markup shows that markup as characters; the one exception is a community
 * answer's Markdown, rendered by markdown-it with raw HTML off (any HTML in it is escaped, and
 * links other than http(s)/mailto are refused by its link check).
 */

import { $, el, tableParts } from './dom.js';

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = data.error ?? {};
    throw new Error(`${e.message ?? `request failed (${res.status})`}${e.where ? ` — ${e.where}` : ''}`);
  }
  return data;
}

function showError(node, err) {
  node.textContent = err ? String(err.message ?? err) : '';
  node.hidden = !err;
}

function showNotice(node, text) {
  node.textContent = text;
  node.hidden = false;
}

const pct = (p) => `${Math.round(100 * p)}%`;
const ROUTE_NAMES = { kbqa: 'knowledge base', mrc: 'documents', cqa: 'community' };

/* ---- asking ---- */

/**
 * Where a passage comes from: its document (a link that opens the file, a PDF at the page, when
 * the server keeps it), the section and page, and the reader that read or chose it.
 */
function fromLine(e, how) {
  const name = el('strong', {}, e.title ?? e.docId);
  return el(
    'p',
    { class: 'muted' },
    'From ',
    e.file ? el('a', { href: e.file, target: '_blank', rel: 'noopener', class: 'source-link' }, name) : name,
    e.section ? `, section “${e.section}”` : '',
    e.page ? `, page ${e.page}` : '',
    ` · ${how} by ${e.reader}`,
  );
}

function passageEvidence(e) {
  const start = Math.max(0, Math.min(e.start, e.passage.length));
  const end = Math.max(start, Math.min(e.end, e.passage.length));
  return el(
    'div',
    { class: 'evidence' },
    fromLine(e, 'read'),
    el(
      'blockquote',
      {},
      e.passage.slice(0, start),
      el('mark', {}, e.passage.slice(start, end)),
      e.passage.slice(end),
    ),
  );
}

function sparqlEvidence(e) {
  return el(
    'div',
    { class: 'evidence' },
    el('p', { class: 'muted' }, `Knowledge base query · ${e.rows} row${e.rows === 1 ? '' : 's'}`),
    e.entities.length
      ? el(
          'p',
          {},
          'Entities: ',
          e.entities.map((x, i) => [i ? ', ' : '', el('strong', {}, x.label), ` (${x.iri})`]),
        )
      : null,
    el('details', {}, el('summary', {}, 'SPARQL query'), el('pre', {}, el('code', {}, e.query))),
  );
}

function threadEvidence(e) {
  return el(
    'div',
    { class: 'evidence' },
    el(
      'p',
      { class: 'muted' },
      `Community question · similarity ${pct(e.similarity)} · `,
      el('span', { class: e.vetted ? 'trust vetted' : 'trust' }, e.trust),
    ),
    el('p', {}, el('a', { href: `#thread/${encodeURIComponent(e.threadId)}` }, e.question)),
  );
}

/** A descriptive answer is the passage itself: only where it comes from is left to show. */
function sourceOf(e) {
  return el('div', { class: 'evidence' }, fromLine(e, 'chosen'));
}

function evidence(e) {
  if (e.kind === 'passage') return passageEvidence(e);
  if (e.kind === 'sparql') return sparqlEvidence(e);
  return threadEvidence(e);
}

// Community answers are Markdown (paragraphs, code, lists); raw HTML in them stays text.
const md = window.markdownit ? window.markdownit({ html: false, linkify: true }) : undefined;

function answerText(c) {
  if (c.route !== 'cqa' || !md) return el('span', { class: 'answer-text' }, c.text);
  const node = el('div', { class: 'answer-text markdown' });
  node.innerHTML = md.render(c.text);
  return node;
}

/** Where an answer comes from, as a key: a list's items share their query or passage. */
function sourceKey(e) {
  if (e.kind === 'sparql') return `sparql ${e.query}`;
  if (e.kind === 'passage') return `passage ${e.docId} ${e.start}`;
  return `thread ${e.threadId}`;
}

/** Answers from one query (a KB list: five neighbours) become one card with the list. */
function groupBySource(answers) {
  const groups = [];
  for (const c of answers) {
    const last = groups[groups.length - 1];
    if (last && c.evidence.kind === 'sparql' && sourceKey(last.lead.evidence) === sourceKey(c.evidence)) {
      last.items.push(c);
    } else groups.push({ lead: c, items: [c] });
  }
  return groups;
}

/** An answer card's first line: its route, what it says (when short), and how likely it is. */
function answerHead(c, i, text) {
  return el(
    'div',
    { class: 'answer-head' },
    el('span', { class: `badge ${c.route}`, title: ROUTE_NAMES[c.route] }, c.route),
    text,
    el(
      'span',
      { class: 'confidence' },
      el('meter', { min: 0, max: 1, value: c.score, 'aria-label': `confidence of answer ${i + 1}` }),
      el('span', {}, pct(c.score)),
    ),
  );
}

function listCard(group, i, feedback) {
  const c = group.lead;
  return el(
    'li',
    { class: 'card answer' },
    answerHead(c, i, el('span', { class: 'answer-text' }, `${group.items.length} answers`)),
    // The query's result rows: each answer with the value behind it (an IRI, a number, a date).
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { class: 'answer-list' },
        tableParts(
          ['answer', 'value'],
          group.items.map((x) => [el('td', {}, x.text), el('td', { class: 'muted' }, x.value ?? '')]),
        ),
      ),
    ),
    evidence(c.evidence),
    feedback ? feedback(c) : null,
  );
}

function candidate(c, i, feedback) {
  const support = c.support ?? [];
  return el(
    'li',
    { class: 'card answer' },
    answerHead(c, i, c.form === 'passage' || c.route === 'cqa' ? null : answerText(c)),
    c.form === 'passage' ? el('blockquote', { class: 'answer-passage' }, c.text) : null,
    c.route === 'cqa' && c.form !== 'passage' ? answerText(c) : null,
    c.form === 'passage' && c.evidence.kind === 'passage' ? sourceOf(c.evidence) : evidence(c.evidence),
    support.length
      ? el(
          'details',
          {},
          el('summary', {}, `${support.length} more piece${support.length === 1 ? '' : 's'} of evidence`),
          support.map(evidence),
        )
      : null,
    feedback ? feedback(c) : null,
  );
}

/* ---- feedback, and asking the community what the system cannot answer ---- */

function askCommunity(question) {
  const post = $('post');
  post.open = true;
  $('post-subject').value = question;
  $('board').scrollIntoView({ block: 'start' });
  $('post-subject').focus();
}

/** 👍/👎 under an answer; 👎 offers a correction and the community board. */
function feedbackBar(question) {
  return (c) => {
    const status = el('span', { class: 'muted', role: 'status' });
    const send = async (helpful, correction) => {
      try {
        const reader = $('reader').value;
        await api('POST', '/api/feedback', {
          question,
          answer: c.text.slice(0, 10000),
          route: c.route,
          helpful,
          score: c.score,
          ...(correction ? { correction } : {}),
          ...(reader ? { reader } : {}),
        });
        status.textContent = correction ? 'Thanks: the correction was saved.' : 'Thanks for telling us.';
      } catch (e) {
        status.textContent = String(e.message ?? e);
      }
    };
    const input = el('input', {
      type: 'text',
      class: 'correction-text',
      maxlength: '1000',
      'aria-label': 'The right answer is',
      placeholder: 'The right answer is…',
    });
    const fix = el(
      'form',
      {
        class: 'correction row',
        hidden: true,
        on: {
          submit: (e) => {
            e.preventDefault();
            if (input.value.trim()) send(false, input.value.trim());
          },
        },
      },
      input,
      el('button', { type: 'submit' }, 'Send'),
      el(
        'button',
        { type: 'button', class: 'ask-community', on: { click: () => askCommunity(question) } },
        'Ask the community',
      ),
    );
    return el(
      'div',
      { class: 'feedback' },
      el('span', { class: 'muted' }, 'Helpful? '),
      el(
        'button',
        {
          type: 'button',
          class: 'thumb up',
          'aria-label': 'This answer helped',
          on: { click: () => send(true) },
        },
        '👍',
      ),
      el(
        'button',
        {
          type: 'button',
          class: 'thumb down',
          'aria-label': 'This answer is wrong',
          on: {
            click: () => {
              send(false);
              fix.hidden = false;
              input.focus();
            },
          },
        },
        '👎',
      ),
      status,
      fix,
    );
  };
}

/** Every candidate the routes found, and how the ranker scored and checked it. */
function explainPanel(a) {
  const x = a.explanation;
  if (!x) return null;
  const fmt = (v) => v.toFixed(3);
  return el(
    'details',
    { class: 'explain' },
    el('summary', {}, 'Why this answer'),
    el('p', { class: 'muted' }, `Answers need ${pct(x.threshold)}. Calibration: ${x.calibration}`),
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        {},
        tableParts(
          ['route', 'candidate', 'route score', 'probability', 'checks'],
          x.candidates.map((c) => [
            el('td', {}, c.route),
            el('td', {}, c.text.length > 80 ? `${c.text.slice(0, 80)}…` : c.text),
            el('td', { class: 'num' }, fmt(c.raw)),
            el('td', { class: 'num' }, fmt(c.calibrated)),
            el(
              'td',
              {},
              (c.checks ?? []).map((k) =>
                el(
                  'span',
                  { class: k.passed ? 'check ok' : 'check failed', title: k.detail },
                  `${k.passed ? '✓' : '✗'} ${k.check} `,
                ),
              ),
            ),
          ]),
        ),
      ),
    ),
  );
}

/** A long passage's highlighted answer is scrolled into its box, not left below the fold. */
function revealMarks(root) {
  for (const mark of root.querySelectorAll('.evidence blockquote mark')) {
    const box = mark.closest('blockquote');
    if (box && box.scrollHeight > box.clientHeight)
      box.scrollTop = mark.offsetTop - box.offsetTop - box.clientHeight / 3;
  }
}

function timings(a) {
  return [
    el('h3', {}, 'Routes'),
    el(
      'ul',
      { class: 'timings' },
      a.timings.map((t) =>
        el(
          'li',
          {},
          el('span', { class: `badge ${t.route}` }, t.route),
          ` ${Math.round(t.ms)} ms · ${t.candidates} candidate${t.candidates === 1 ? '' : 's'}`,
          t.error ? el('span', { class: 'error' }, ` · failed: ${t.error}`) : null,
        ),
      ),
      el('li', { class: 'muted' }, `total ${Math.round(a.ms)} ms`),
    ),
    a.warnings.length
      ? [
          el('h3', {}, 'Warnings'),
          el(
            'ul',
            { class: 'warnings' },
            a.warnings.map((w) => el('li', {}, w)),
          ),
        ]
      : null,
  ];
}

/* ---- the conversation: earlier turns above the box, the latest answer below it ---- */

const STORE = 'qa.conversation';
const MAX_TURNS = 20;

/** Turns as kept in the page and in local storage: the question and what the answer was. */
let turns = loadTurns();

function loadTurns() {
  try {
    const t = JSON.parse(localStorage.getItem(STORE) ?? '[]');
    return Array.isArray(t) ? t.slice(-MAX_TURNS) : [];
  } catch {
    return [];
  }
}

function saveTurns() {
  try {
    localStorage.setItem(STORE, JSON.stringify(turns));
  } catch {
    // Storage full or off: the conversation still lives in the page.
  }
}

/** What is kept of an answer: enough to show the turn again and to send it as history. */
function compact(question, a) {
  return {
    question,
    resolved: a.resolved,
    abstained: a.abstained,
    reason: a.reason,
    answers: a.answers.slice(0, 3),
  };
}

function answerBody(a, question) {
  const asked = a.resolved ?? question ?? a.question;
  if (a.abstained) {
    return el(
      'div',
      { class: 'card no-answer', id: 'no-answer' },
      el('h3', {}, 'No answer'),
      el('p', {}, a.reason ?? 'nothing likely enough to be right was found'),
      el(
        'button',
        { type: 'button', class: 'ask-community', on: { click: () => askCommunity(asked) } },
        'Ask the community',
      ),
    );
  }
  const feedback = feedbackBar(asked);
  return el(
    'ol',
    { class: 'answers', 'aria-label': 'Answers, best first' },
    groupBySource(a.answers).map((g, i) =>
      g.items.length > 1 ? listCard(g, i, feedback) : candidate(g.lead, i, feedback),
    ),
  );
}

/** "answered as: …" under a follow-up the server read as another question. */
function resolvedLine(turn) {
  return turn.resolved && turn.resolved !== turn.question
    ? el('p', { class: 'resolved muted' }, 'answered as: ', el('q', {}, turn.resolved))
    : null;
}

function earlierTurn(turn) {
  const top = turn.abstained ? undefined : turn.answers[0];
  return el(
    'li',
    { class: 'turn' },
    el('p', { class: 'turn-question' }, turn.question),
    resolvedLine(turn),
    top ? el('ol', { class: 'answers' }, candidate(top, 0)) : el('p', { class: 'muted' }, 'No answer'),
  );
}

function renderConversation(latest) {
  const earlier = latest ? turns.slice(0, -1) : turns;
  $('conversation').replaceChildren(...earlier.map(earlierTurn));
  $('conversation').hidden = earlier.length === 0;
  $('new-conversation').hidden = turns.length === 0;
  if (latest) {
    const turn = turns[turns.length - 1];
    $('result').replaceChildren(
      el('p', { class: 'turn-question' }, turn.question),
      resolvedLine(turn),
      answerBody(latest, turn.question),
      explainPanel(latest),
      ...timings(latest).flat().filter(Boolean),
    );
    revealMarks($('result'));
  } else {
    $('result').replaceChildren();
  }
}

function newConversation() {
  turns = [];
  saveTurns();
  renderConversation();
  $('question').focus();
}

async function ask(event) {
  event.preventDefault();
  const form = $('ask-form');
  const question = $('question').value.trim();
  const routes = [...form.querySelectorAll('input[name=route]:checked')].map((x) => x.value);
  showError($('ask-error'));
  if (!question) return showError($('ask-error'), 'Type a question first.');
  if (!routes.length) return showError($('ask-error'), 'Choose at least one route.');
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  $('result').replaceChildren(el('p', { class: 'muted' }, 'Thinking…'));
  try {
    const reader = $('reader').value;
    const history = turns.map((t) => ({
      question: t.question,
      answer: t.abstained ? null : (t.answers[0]?.text ?? null),
      ...(t.resolved ? { resolved: t.resolved } : {}),
    }));
    const filters = chosenFilters();
    const a = await api('POST', '/api/ask', {
      question,
      routes,
      explain: true,
      ...(reader ? { reader } : {}),
      ...(history.length ? { history } : {}),
      ...(filters ? { filters } : {}),
    });
    turns = [...turns, compact(question, a)].slice(-MAX_TURNS);
    saveTurns();
    renderConversation(a);
    $('question').value = '';
    // The address names the question, so it can be shared or reloaded.
    window.history.replaceState(null, '', `?q=${encodeURIComponent(question)}${location.hash}`);
  } catch (e) {
    $('result').replaceChildren();
    showError($('ask-error'), e);
  } finally {
    button.disabled = false;
  }
}

/* ---- filters: which documents the passage route reads ---- */

/** A toggle chip: pressed means the question is limited to it. */
function chip(label, value, title) {
  const b = el('button', { type: 'button', class: 'chip', title, on: { click: () => toggleChip(b) } }, label);
  b.dataset.value = value;
  b.setAttribute('aria-pressed', 'false');
  return b;
}

function toggleChip(b) {
  b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
  describeFilters();
}

const pressed = (id) => [...$(id).querySelectorAll('.chip[aria-pressed=true]')].map((b) => b.dataset.value);

/** The filters chosen, as /api/ask takes them; none when nothing is chosen. */
function chosenFilters() {
  const f = {};
  const tags = pressed('tag-chips');
  const source = pressed('source-chips');
  if (tags.length) f.tags = tags;
  if (source.length) f.source = source;
  if ($('filter-after').value) f.after = $('filter-after').value;
  if ($('filter-before').value) f.before = $('filter-before').value;
  return Object.keys(f).length ? f : undefined;
}

function describeFilters() {
  const f = chosenFilters();
  const parts = f
    ? [
        ...(f.tags ?? []),
        ...(f.source ?? []).map((s) => s.split(/[\\/]/).pop()),
        f.after ? `after ${f.after}` : '',
        f.before ? `before ${f.before}` : '',
      ].filter(Boolean)
    : [];
  $('filter-summary').textContent = parts.length ? `(only ${parts.join(', ')})` : '';
}

/** Chips for the tags and sources there are; shown only when there is something to choose. */
async function loadFilters() {
  const docs = await api('GET', '/api/docs');
  const tags = docs.tags.slice(0, 40);
  const sources = docs.sources.slice(0, 40);
  $('tag-chips').replaceChildren(
    ...tags.map((t) => chip(`#${t.tag}`, t.tag, `${t.documents} document${t.documents === 1 ? '' : 's'}`)),
  );
  $('source-chips').replaceChildren(
    ...sources.map((x) =>
      chip(x.name, x.source, `${x.source} · ${x.documents} document${x.documents === 1 ? '' : 's'}`),
    ),
  );
  $('tag-filter').hidden = tags.length === 0;
  $('source-filter').hidden = sources.length < 2;
  $('filters').hidden = docs.sources.length === 0;
}

function clearFilters() {
  for (const b of document.querySelectorAll('#filters .chip')) b.setAttribute('aria-pressed', 'false');
  $('filter-after').value = '';
  $('filter-before').value = '';
  describeFilters();
}

async function loadInfo() {
  try {
    const h = await api('GET', '/api/health');
    const c = h.counts;
    $('health').textContent =
      `answers from ${h.routes.length ? h.routes.join(', ') : 'nothing yet'} · ${c.documents} documents · ` +
      `${c.threads} community questions`;
    const { models, cascades } = await api('GET', '/api/models');
    const readers = models.filter((m) => m.task === 'reader');
    const option = (name, what, on) =>
      el('option', { value: name, selected: on }, `${name} (${what}${on ? '; default' : ''})`);
    $('reader').replaceChildren(
      ...readers.map((m) => option(m.name, (m.techniques ?? [m.kind]).join(', '), m.default)),
      ...(cascades ?? []).map((c) => option(c.name, `${c.first}, then ${c.second} when unsure`, c.default)),
    );
  } catch (e) {
    $('health').textContent = `server not reachable: ${e.message}`;
  }
}

/* ---- community board ---- */

function threadItem(t) {
  const meta = [`${t.answerCount} answer${t.answerCount === 1 ? '' : 's'}`];
  if (t.similarity !== undefined) meta.push(`similarity ${pct(t.similarity)}`);
  if (t.tags.length) meta.push(t.tags.join(', '));
  return el(
    'li',
    {},
    el('a', { class: 'thread-link', href: `#thread/${t.id}` }, t.subject),
    el('div', { class: 'muted' }, meta.join(' · ')),
  );
}

async function loadThreads(query) {
  showError($('board-error'));
  try {
    const params = new URLSearchParams({ limit: '20', ...(query ? { query } : {}) });
    const { threads } = await api('GET', `/api/threads?${params}`);
    $('threads').replaceChildren(
      ...(threads.length ? threads.map(threadItem) : [el('li', { class: 'muted' }, 'No questions found.')]),
    );
  } catch (e) {
    showError($('board-error'), e);
  }
}

let openId;

function answerItem(a) {
  const act = (path, body) => async () => {
    try {
      await api('POST', `/api/answers/${a.id}/${path}`, body);
      await openThread(openId, false);
    } catch (e) {
      showError($('board-error'), e);
    }
  };
  return el(
    'li',
    { class: 'community-answer' },
    el('p', { class: 'prewrap' }, a.text),
    el(
      'div',
      { class: 'votes' },
      a.accepted ? el('span', { class: 'badge accepted' }, 'accepted') : null,
      el('span', { class: 'muted' }, `${a.votes} vote${Math.abs(a.votes) === 1 ? '' : 's'}`),
      el(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'aria-label': 'Vote up',
          on: { click: act('vote', { delta: 1 }) },
        },
        '▲',
      ),
      el(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'aria-label': 'Vote down',
          on: { click: act('vote', { delta: -1 }) },
        },
        '▼',
      ),
      a.accepted
        ? null
        : el('button', { type: 'button', class: 'secondary', on: { click: act('accept') } }, 'Accept'),
    ),
  );
}

async function openThread(id, focus = true) {
  showError($('board-error'));
  try {
    const t = await api('GET', `/api/threads/${encodeURIComponent(id)}`);
    openId = t.id;
    $('thread-subject').textContent = t.subject;
    $('thread-meta').textContent = [t.tags.join(', '), t.created ? new Date(t.created).toLocaleString() : '']
      .filter(Boolean)
      .join(' · ');
    $('thread-body').textContent = t.body;
    $('thread-answers').replaceChildren(
      ...(t.answers.length ? t.answers.map(answerItem) : [el('li', { class: 'muted' }, 'No answers yet.')]),
    );
    $('thread').hidden = false;
    if (focus) $('thread').focus();
  } catch (e) {
    showError($('board-error'), e);
  }
}

async function postQuestion(event) {
  event.preventDefault();
  showError($('board-error'));
  const tags = $('post-tags')
    .value.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    const t = await api('POST', '/api/threads', {
      subject: $('post-subject').value,
      body: $('post-body').value,
      tags,
    });
    $('post-form').reset();
    if (t.status === 'pending') {
      showNotice($('board-notice'), 'Thank you: your question will appear once a moderator approves it.');
      return;
    }
    await loadThreads();
    location.hash = `#thread/${t.id}`;
  } catch (e) {
    showError($('board-error'), e);
  }
}

async function postAnswer(event) {
  event.preventDefault();
  showError($('board-error'));
  try {
    const a = await api('POST', `/api/threads/${openId}/answers`, { text: $('answer-text').value });
    $('answer-form').reset();
    if (a.status === 'pending')
      showNotice($('board-notice'), 'Thank you: your answer will appear once a moderator approves it.');
    await openThread(openId, false);
    await loadThreads($('search').value.trim());
  } catch (e) {
    showError($('board-error'), e);
  }
}

function route() {
  const m = /^#thread\/(\d+)$/.exec(location.hash);
  if (m) openThread(m[1]);
}

$('ask-form').addEventListener('submit', ask);
$('new-conversation').addEventListener('click', newConversation);
$('filter-clear').addEventListener('click', clearFilters);
$('filter-after').addEventListener('change', describeFilters);
$('filter-before').addEventListener('change', describeFilters);
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  loadThreads($('search').value.trim());
});
$('recent').addEventListener('click', () => {
  $('search').value = '';
  loadThreads();
});
$('post-form').addEventListener('submit', postQuestion);
$('answer-form').addEventListener('submit', postAnswer);
window.addEventListener('hashchange', route);

loadInfo();
// Without the list the filters stay hidden; asking works as before.
loadFilters().catch(() => {});
loadThreads();
route();
renderConversation();
// A shared address asks its question: /?q=What+is+the+capital+of+Kenya%3F
const shared = new URLSearchParams(location.search).get('q');
if (shared && turns.at(-1)?.question !== shared) {
  $('question').value = shared;
  $('ask-form').requestSubmit();
}
