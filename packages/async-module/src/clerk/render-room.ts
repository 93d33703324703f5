// The HTML of the clerk's pages: the list of rooms and a room's waiting requests as answer forms.

import type { RoomDeclaration, RoomRequest } from '../types.js';
import { escapeHtml, page } from './html.js';
import { renderSchemaFields } from './schema-form.js';

/** The path of a room's page. */
const roomPath = (prefix: string, room: string): string =>
  `${prefix}/rooms/${encodeURIComponent(room)}`;

/** The rooms a clerk may answer for, as links. */
export function renderRoomList(prefix: string, rooms: readonly RoomDeclaration[]): string {
  const items = rooms
    .map((r) => `<li><a href="${escapeHtml(roomPath(prefix, r.id))}">${escapeHtml(r.id)}</a></li>`)
    .join('\n');
  return page('Waiting rooms', rooms.length ? `<ul>\n${items}\n</ul>` : '<p>No rooms.</p>');
}

/** What the room page shows above its forms. */
export interface RoomNotice {
  kind: 'notice' | 'error';
  text: string;
}

/** A room's leased requests, one form each, with the session's CSRF token. */
export function renderRoom(
  prefix: string,
  room: RoomDeclaration,
  requests: readonly RoomRequest[],
  csrfToken: string,
  notice?: RoomNotice,
): string {
  const action = `${prefix}/rooms/${encodeURIComponent(room.id)}/answers`;
  const banner = notice
    ? `<p class="${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">` +
      `${escapeHtml(notice.text)}</p>`
    : '';
  const forms = requests.map((request, index) => form(action, room, request, csrfToken, index));
  const body = forms.length ? forms.join('\n') : '<p>No requests are waiting in this room.</p>';
  return page(
    `Requests waiting in ${room.id}`,
    `${banner}\n<p>${requests.length} waiting.</p>\n${body}`,
  );
}

function form(
  action: string,
  room: RoomDeclaration,
  request: RoomRequest,
  csrfToken: string,
  index: number,
): string {
  const query = request.query!;
  const id = `r${index}`;
  const facts: [string, string][] = [
    ['Request', request.requestId],
    ['Subject', `${query.subject.scheme} ${query.subject.id}`],
    ['Purpose', query.purpose],
    ['Legal basis', query.legalBasis],
    ['Case', query.case],
    ['Asked by', `${query.organisation} (${query.official})`],
    ...(query.referenceDate
      ? ([['Reference date', query.referenceDate]] as [string, string][])
      : []),
    ...(query.period
      ? ([['Period', `${query.period.from} to ${query.period.to}`]] as [string, string][])
      : []),
    ['Deadline', new Date(request.deadline).toISOString()],
  ];
  const list = facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  return `<form method="post" action="${escapeHtml(action)}" aria-labelledby="${id}-title">
<fieldset>
<legend id="${id}-title">Request ${index + 1}</legend>
<dl>${list}</dl>
<input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
<input type="hidden" name="requestId" value="${escapeHtml(request.requestId)}">
<fieldset class="choice">
<legend>Answer</legend>
<input type="radio" id="${id}-found" name="status" value="found" checked>
<label for="${id}-found">Found</label>
<input type="radio" id="${id}-not-found" name="status" value="not_found">
<label for="${id}-not-found">Not found</label>
</fieldset>
${renderSchemaFields(room.answerSchema, id)}
<div><button type="submit">Send answer</button></div>
</fieldset>
</form>`;
}
