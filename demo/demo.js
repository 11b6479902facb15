/* global sessionStorage, localStorage, location, customElements, URLSearchParams */
// The demo page: plain JS on top of the public API (elements, their events, `provider.client`).
// The UserSig comes from the server's dev-only endpoint; a real site gets it from its own backend.
const STORAGE_KEY = 'imkit-demo-user';
const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;

const $ = (id) => document.getElementById(id);
const provider = $('provider');
const list = $('list');
const chat = $('chat');
const panel = $('panel');

function notify(text) {
  $('notice').textContent = text;
}

async function fetchUserSig(userID) {
  const res = await fetch(`/dev/usersig?userID=${encodeURIComponent(userID)}`);
  if (!res.ok) {
    throw new Error(
      res.status === 404
        ? 'The dev UserSig endpoint is off; start the server in dev mode.'
        : `UserSig request failed (${res.status})`,
    );
  }
  return res.json();
}

function showSignIn() {
  $('signin').hidden = false;
  $('app').hidden = true;
  $('session').hidden = true;
  $('signin-user').focus();
}

async function signIn(userID) {
  if (!USER_ID.test(userID)) {
    notify('A user ID is 1-32 letters, digits, _ or -.');
    return;
  }
  notify(`Signing in as ${userID}…`);
  let auth;
  try {
    auth = await fetchUserSig(userID);
  } catch (error) {
    notify(error.message);
    showSignIn();
    return;
  }
  sessionStorage.setItem(STORAGE_KEY, userID);
  $('signin').hidden = true;
  $('app').hidden = false;
  $('session').hidden = false;
  $('me').textContent = auth.userID;
  document.title = `${auth.userID} · imkit demo`;
  provider.setAttribute('server', location.origin);
  provider.setAttribute('app-id', String(auth.SDKAppID));
  provider.setAttribute('user-id', auth.userID);
  provider.setAttribute('user-sig', auth.userSig);
  watchConnection();
}

/** Show the connection state from the shared client, once the provider has it. */
async function watchConnection() {
  await customElements.whenDefined('im-provider');
  for (let i = 0; i < 100 && !provider.client; i++) await new Promise((r) => setTimeout(r, 50));
  const client = provider.client;
  if (!client) return; // the provider reported why with im-error
  const { EVENT } = window.IMChat;
  const show = (state) => {
    const net = $('net');
    net.dataset.state = state;
    net.textContent =
      state === 'connected' ? 'Online' : state === 'connecting' ? 'Connecting…' : 'Offline';
  };
  show(client.getNetState());
  client.on(EVENT.NET_STATE_CHANGE, (event) => show(event.data.state));
}

function open(conversationID) {
  list.selected = conversationID;
  chat.conversationId = conversationID;
  const isGroup = conversationID.startsWith('GROUP');
  $('panel-slot').hidden = !isGroup;
  if (isGroup) panel.groupId = conversationID.slice('GROUP'.length);
  else panel.removeAttribute('group-id');
}

// --- sign in / out ---

for (const button of document.querySelectorAll('[data-user]')) {
  button.addEventListener('click', () => signIn(button.dataset.user));
}
$('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('signin-user').value.trim());
});
$('switch-user').addEventListener('click', () => {
  sessionStorage.removeItem(STORAGE_KEY);
  location.assign(location.pathname); // drop ?user= as well
});

// --- element events ---

provider.addEventListener('im-ready', (event) => notify(`Ready as ${event.detail.userID}.`));
document.addEventListener('im-error', (event) => {
  notify(`Error ${event.detail.code}: ${event.detail.message}`);
});
list.addEventListener('im-conversation-select', (event) => open(event.detail.conversationID));
panel.addEventListener('im-group-joined', (event) => {
  notify(
    event.detail.status === 'WaitAdminApproval'
      ? `Asked to join ${event.detail.groupID}.`
      : `Joined ${event.detail.groupID}.`,
  );
});
panel.addEventListener('im-group-quit', (event) => {
  notify(`Left ${event.detail.groupID}.`);
  $('panel-slot').hidden = true;
  chat.removeAttribute('conversation-id');
  list.removeAttribute('selected');
});

// --- chat options: read receipts (group messages sent from here ask for them), translation ---

const RECEIPTS_KEY = 'imkit-demo-read-receipts';
const TRANSLATE_KEY = 'imkit-demo-translate-to';
const receipts = $('read-receipts');
const translateTo = $('translate-to');
receipts.checked = localStorage.getItem(RECEIPTS_KEY) === '1';
chat.toggleAttribute('need-read-receipt', receipts.checked);
receipts.addEventListener('change', () => {
  chat.toggleAttribute('need-read-receipt', receipts.checked);
  localStorage.setItem(RECEIPTS_KEY, receipts.checked ? '1' : '0');
  notify(
    receipts.checked
      ? 'Group messages you send now ask for read receipts: see "n read" under them.'
      : 'Group messages you send no longer ask for read receipts.',
  );
});
translateTo.value = localStorage.getItem(TRANSLATE_KEY) ?? '';
if (translateTo.value) chat.setAttribute('translate-to', translateTo.value);
translateTo.addEventListener('change', () => {
  const language = translateTo.value.trim();
  if (language) chat.setAttribute('translate-to', language);
  else chat.removeAttribute('translate-to');
  localStorage.setItem(TRANSLATE_KEY, language);
});

// --- new chat, groups ---

$('new-chat').addEventListener('submit', (event) => {
  event.preventDefault();
  const userID = $('new-chat-user').value.trim();
  if (!USER_ID.test(userID)) return notify('A user ID is 1-32 letters, digits, _ or -.');
  $('new-chat-user').value = '';
  open(`C2C${userID}`);
});

$('create-group').addEventListener('submit', async (event) => {
  event.preventDefault();
  const client = provider.client;
  if (!client) return notify('Not connected yet.');
  const name = $('group-name').value.trim();
  const type = $('group-type').value;
  try {
    // Public groups need approval by default; FreeAccess lets the other demo users join.
    const options = type === 'Public' ? { name, type, joinOption: 'FreeAccess' } : { name, type };
    const { data } = await client.createGroup(options);
    $('group-name').value = '';
    notify(
      `Created ${data.group.name} (ID ${data.group.groupID}); share the ID to let others join.`,
    );
    open(`GROUP${data.group.groupID}`);
  } catch (error) {
    notify(`Could not create the group: ${error.message ?? error}`);
  }
});

$('join-group').addEventListener('submit', async (event) => {
  event.preventDefault();
  const client = provider.client;
  if (!client) return notify('Not connected yet.');
  const groupID = $('join-group-id').value.trim();
  try {
    const { data } = await client.joinGroup({ groupID });
    $('join-group-id').value = '';
    notify(
      data.status === 'WaitAdminApproval' ? `Asked to join ${groupID}.` : `Joined ${groupID}.`,
    );
    open(`GROUP${groupID}`);
  } catch (error) {
    notify(`Could not join ${groupID}: ${error.message ?? error}`);
  }
});

// --- start: ?user= wins, then this tab's remembered user ---

const fromQuery = new URLSearchParams(location.search).get('user');
const remembered = fromQuery || sessionStorage.getItem(STORAGE_KEY);
if (remembered) signIn(remembered);
else showSignIn();

// --- contacts (users and relationships) ---

$('contacts').addEventListener('im-contact-select', (event) => open(event.detail.conversationID));
$('my-profile').addEventListener('im-profile-updated', () => notify('Profile saved.'));
