/**
 * The admin page: the unanswered-questions report and the posts awaiting moderation, behind the
 * admin token (kept for this tab only). Every piece of data reaches the page as text.
 */

import { $, el, tableParts } from './dom.js';

async function api(method, path) {
  const res = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${sessionStorage.getItem('qa.admin') ?? ''}` },
  });
  if (res.status === 204) return undefined;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error?.message ?? `request failed (${res.status})`);
  return data;
}

function showError(err) {
  $('admin-error').textContent = err ? String(err.message ?? err) : '';
  $('admin-error').hidden = !err;
}

async function load() {
  showError();
  try {
    const { groups } = await api('GET', '/api/admin/unanswered');
    $('unanswered-table').replaceChildren(
      ...tableParts(
        ['asked', 'question', 'also asked as', 'marked wrong', 'last'],
        groups.map((g) => [
          el('td', { class: 'num' }, String(g.count)),
          el('td', {}, g.question),
          el('td', { class: 'muted' }, g.variants.join(' · ')),
          el('td', { class: 'num' }, String(g.markedWrong)),
          el('td', { class: 'muted' }, g.lastAsked ? new Date(g.lastAsked).toLocaleString() : ''),
        ]),
      ),
    );
    const pending = await api('GET', '/api/admin/pending');
    const item = (kind, id, text) =>
      el(
        'li',
        { class: 'card' },
        el('p', {}, text),
        el('button', { type: 'button', on: { click: () => decide(kind, id, 'approve') } }, 'Approve'),
        ' ',
        el('button', { type: 'button', on: { click: () => decide(kind, id, 'reject') } }, 'Reject'),
      );
    $('pending-list').replaceChildren(
      ...pending.threads.map((t) => item('threads', t.id, `Question: ${t.subject}`)),
      ...pending.answers.map((a) => item('answers', a.id, `Answer to thread ${a.threadId}: ${a.text}`)),
    );
  } catch (e) {
    showError(e);
  }
}

async function decide(kind, id, decision) {
  try {
    await api('POST', `/api/admin/${kind}/${id}/${decision}`);
    await load();
  } catch (e) {
    showError(e);
  }
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem('qa.admin', $('token').value);
  load();
});
if (sessionStorage.getItem('qa.admin')) load();
