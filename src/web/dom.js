/** The DOM helpers both pages build with; data always becomes Text nodes. */

export const $ = (id) => document.getElementById(id);

/** An element with attributes/properties and children; strings become Text nodes. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, String(v));
  }
  node.append(
    ...children.flat(Number.POSITIVE_INFINITY).filter((c) => c !== undefined && c !== null && c !== false),
  );
  return node;
}

/** A table's head (column names) and body (one row of cells per item), as children of a table. */
export function tableParts(columns, rows) {
  return [
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((cells) => el('tr', {}, cells)),
    ),
  ];
}
