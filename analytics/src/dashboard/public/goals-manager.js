import { sendJson } from './api.js';
import { goalDescription } from './goals-panel.js';

/**
 * The goal list with a remove button per goal, and the form that adds one (`/v1/goals` with the
 * tenant's read key). The API's refusals (a bad field, the cap of 50) are shown by the form.
 */
export function createGoalsManager(elements, { key, onChanged, onError }) {
  const { form, list, kind, match, matchLabel, matchHelp, name, propName, propValue, problem } = elements;

  const showKind = () => {
    const page = kind.value === 'page';
    matchLabel.textContent = page ? 'Page path' : 'Event name';
    matchHelp.textContent = page ? 'Starts with /; * matches anything, as in /blog/*.' : 'The track event’s name, as in Signed Up.';
    propName.disabled = page;
    propValue.disabled = page;
  };
  kind.addEventListener('change', showKind);
  showKind();

  const say = (message, field) => {
    problem.textContent = message;
    problem.hidden = false;
    field?.setAttribute('aria-invalid', 'true');
    field?.focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const field of [name, match, propName]) field.removeAttribute('aria-invalid');
    problem.hidden = true;
    const page = kind.value === 'page';
    if (!name.value.trim()) return say('Give the goal a name.', name);
    if (!match.value.trim()) return say(page ? 'Give the page path, starting with /.' : 'Give the event name.', match);
    if (page && !match.value.trim().startsWith('/')) return say('A page path starts with /.', match);
    if (!page && propValue.value.trim() && !propName.value.trim()) return say('Name the property the value belongs to.', propName);
    const body = page
      ? { name: name.value.trim(), kind: 'page', path: match.value.trim() }
      : {
          name: name.value.trim(),
          kind: 'event',
          event: match.value.trim(),
          ...(propName.value.trim() ? { properties: { [propName.value.trim()]: propValue.value.trim() } } : {}),
        };
    try {
      await sendJson('POST', '/v1/goals', body, key());
    } catch (error) {
      if (error.kind === 'auth') return onError(error);
      return say(`The goal was not added: ${error.message}`);
    }
    form.reset();
    showKind();
    onChanged(`Goal “${body.name}” added.`);
    name.focus();
  });

  return {
    render(goals) {
      list.replaceChildren(
        ...goals.map((goal) => {
          const item = document.createElement('li');
          const text = document.createElement('span');
          text.textContent = `${goal.name} · ${goalDescription(goal)}`;
          const remove = document.createElement('button');
          remove.type = 'button';
          remove.className = 'quiet';
          remove.textContent = 'Remove';
          remove.setAttribute('aria-label', `Remove goal ${goal.name}`);
          remove.addEventListener('click', async () => {
            remove.disabled = true;
            try {
              await sendJson('DELETE', `/v1/goals/${encodeURIComponent(goal.id)}`, undefined, key());
            } catch (error) {
              remove.disabled = false;
              if (error.kind === 'auth') return onError(error);
              return say(`The goal was not removed: ${error.message}`);
            }
            onChanged(`Goal “${goal.name}” removed.`);
            // The removed goal's button is gone: keep the keyboard in the form.
            name.focus();
          });
          item.append(text, remove);
          return item;
        }),
      );
      if (goals.length === 0) {
        const none = document.createElement('li');
        none.className = 'hint';
        none.textContent = 'No goals yet.';
        list.append(none);
      }
    },
  };
}
