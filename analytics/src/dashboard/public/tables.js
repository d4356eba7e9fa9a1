/**
 * Table bodies built with textContent only: page paths, referrers and campaign names come from
 * whoever sends events, so none of it is ever parsed as HTML.
 *
 * rows: arrays of cells; a cell is text or { text, className }, or { text, action, label } for a
 * value that does something when chosen (a button named by `label`), and may carry `nodes` (elements
 * built with createElement, such as a bar) placed after the text.
 */
export function fillRows(tbody, rows, emptyText) {
  const columns = tbody.closest('table')?.querySelectorAll('thead th').length ?? 1;
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = columns;
    td.className = 'empty';
    td.textContent = emptyText;
    tr.append(td);
    tbody.replaceChildren(tr);
    return;
  }
  tbody.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      cells.forEach((cell, i) => {
        const td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.scope = 'row';
        const { text, className, action, label, nodes = [] } = typeof cell === 'object' && cell !== null ? cell : { text: String(cell) };
        if (action) {
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'value-button';
          button.textContent = text;
          if (label) button.setAttribute('aria-label', label);
          button.addEventListener('click', action);
          td.append(button);
        } else td.textContent = text;
        td.append(...nodes);
        if (className) td.className = className;
        tr.append(td);
      });
      return tr;
    }),
  );
}

/** A placeholder row while a table has nothing to show yet (or its data failed). */
export function clearRows(tbody, text = '—') {
  fillRows(tbody, [], text);
}
