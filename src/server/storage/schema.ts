/**
 * SQLite schema. SCHEMA is version 1 (created with IF NOT EXISTS); MIGRATIONS bring a database from
 * the version in `meta.schema_version` to SCHEMA_VERSION, each in one transaction. One row per
 * message, never a per-member copy; per-user state lives in user_conversations and the tables of
 * migration 2.
 *
 * Indexes and the queries they serve:
 * - messages(conv_id, seq) UNIQUE: history pages, unread counts (range count), last message.
 * - messages(conv_id, cursor): catch-up, one index range scan per conversation of the user.
 * - messages(app_id, sender, msg_id) UNIQUE: idempotent sends.
 * - messages(conv_id, msg_id): nextReqMessageID lookups.
 * - user_conversations PK (app_id, user_id, conv_id): a user's conversations.
 * - group_members(app_id, group_id, id): member list in join order; (app_id, user_id): my groups.
 */

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS apps (
  sdkappid INTEGER PRIMARY KEY,
  secret_key TEXT NOT NULL,
  max_instances INTEGER NOT NULL DEFAULT 10,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
  tiny_id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  nick TEXT NOT NULL DEFAULT '',
  avatar TEXT NOT NULL DEFAULT '',
  gender TEXT NOT NULL DEFAULT 'Gender_Type_Unknown',
  self_signature TEXT NOT NULL DEFAULT '',
  allow_type TEXT NOT NULL DEFAULT 'AllowType_Type_NeedConfirm',
  birthday INTEGER NOT NULL DEFAULT 0,
  location TEXT NOT NULL DEFAULT '',
  language INTEGER NOT NULL DEFAULT 0,
  message_settings INTEGER NOT NULL DEFAULT 0,
  admin_forbid_type TEXT NOT NULL DEFAULT 'AdminForbid_Type_None',
  level INTEGER NOT NULL DEFAULT 0,
  role INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (app_id, user_id)
);
CREATE TABLE IF NOT EXISTS conversations (
  conv_id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id INTEGER NOT NULL,
  conv_key TEXT NOT NULL,
  type TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0,
  last_cursor INTEGER NOT NULL DEFAULT 0,
  last_time INTEGER NOT NULL DEFAULT 0,
  UNIQUE (app_id, conv_key)
);
CREATE TABLE IF NOT EXISTS messages (
  cursor INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id INTEGER NOT NULL,
  conv_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  msg_id TEXT NOT NULL,
  sender TEXT NOT NULL,
  conv_type TEXT NOT NULL,
  target TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  priority TEXT NOT NULL,
  cloud_custom_data TEXT NOT NULL,
  client_time INTEGER NOT NULL,
  random INTEGER NOT NULL,
  time INTEGER NOT NULL,
  nick TEXT NOT NULL,
  avatar TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_conv_seq ON messages (conv_id, seq);
CREATE INDEX IF NOT EXISTS messages_conv_cursor ON messages (conv_id, cursor);
CREATE UNIQUE INDEX IF NOT EXISTS messages_sender_id ON messages (app_id, sender, msg_id);
CREATE INDEX IF NOT EXISTS messages_conv_msgid ON messages (conv_id, msg_id);
CREATE TABLE IF NOT EXISTS user_conversations (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  conv_id INTEGER NOT NULL,
  read_seq INTEGER NOT NULL DEFAULT 0,
  join_seq INTEGER NOT NULL DEFAULT 0,
  visible_seq INTEGER NOT NULL DEFAULT 0,
  activity_key INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id, conv_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS im_groups (
  app_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  conv_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  introduction TEXT NOT NULL,
  notification TEXT NOT NULL,
  avatar TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  info_seq INTEGER NOT NULL DEFAULT 1,
  last_info_time INTEGER NOT NULL,
  max_member INTEGER NOT NULL,
  join_option TEXT NOT NULL,
  mute_all INTEGER NOT NULL DEFAULT 0,
  member_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, group_id)
);
CREATE TABLE IF NOT EXISTS group_members (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL,
  join_time INTEGER NOT NULL,
  name_card TEXT NOT NULL DEFAULT '',
  mute_until INTEGER NOT NULL DEFAULT 0,
  UNIQUE (app_id, group_id, user_id)
);
CREATE INDEX IF NOT EXISTS group_members_order ON group_members (app_id, group_id, id);
CREATE INDEX IF NOT EXISTS group_members_user ON group_members (app_id, user_id);
CREATE TABLE IF NOT EXISTS group_applications (
  app_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  message TEXT NOT NULL,
  time INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  PRIMARY KEY (app_id, group_id, user_id)
);
`;

/**
 * Version 2: the message lifecycle.
 * - messages: mentions (JSON), targeted receivers (JSON, `targeted` = 1 when non-empty), receipt and
 *   extension flags, unread/lastMessage exclusions, recall tombstone (revoked, revoker), modify
 *   version. (conv_id, time) serves C2C hopping by time.
 * - users.receive_opt: setAllReceiveMessageOpt (JSON).
 * - message_deletions: "delete for me", one row per (message, user).
 * - conversation_settings: per-user remind type of a conversation; `remind_cursor` is the global
 *   cursor when Discard was set (messages after it are neither pushed, synced, counted nor shown
 *   as lastMessage for that user).
 * - merger_lists: merged-forward lists larger than LIMITS.mergerInlineBytes, by downloadKey.
 * - message_reads: read receipts, one row per (message, reader).
 * - message_extensions: key-value extensions with a per-message sequence; deleted keys stay as
 *   tombstones (deleted = 1) so that a conflicting write can still be detected.
 * - message_reactions: one row per (message, reaction, user); `id` orders and pages them.
 * - pinned_messages: per group.
 * - media: uploads (POST /upload).
 */
const MIGRATION_2 = `
ALTER TABLE messages ADD COLUMN at_user_list TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN receivers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN targeted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN need_read_receipt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN support_extension INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN excluded_unread INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN excluded_last INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN revoker TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN modified INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS messages_conv_time ON messages (conv_id, time);
ALTER TABLE users ADD COLUMN receive_opt TEXT NOT NULL DEFAULT '{}';
CREATE TABLE IF NOT EXISTS message_deletions (
  cursor INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (cursor, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conversation_settings (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  conv_id INTEGER NOT NULL,
  remind_type TEXT NOT NULL,
  remind_cursor INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id, conv_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS conversation_settings_conv ON conversation_settings (conv_id, remind_type);
CREATE TABLE IF NOT EXISTS merger_lists (
  download_key TEXT PRIMARY KEY,
  app_id INTEGER NOT NULL,
  conv_id INTEGER NOT NULL,
  message_list TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS message_reads (
  cursor INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY (cursor, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS message_extensions (
  cursor INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  seq INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  updated_by TEXT NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (cursor, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS message_reactions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  cursor INTEGER NOT NULL,
  reaction_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  UNIQUE (cursor, reaction_id, user_id)
);
CREATE TABLE IF NOT EXISTS pinned_messages (
  app_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  cursor INTEGER NOT NULL,
  pinned_by TEXT NOT NULL,
  pinned_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, group_id, cursor)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS media (
  uuid TEXT PRIMARY KEY,
  app_id INTEGER NOT NULL,
  owner TEXT NOT NULL,
  kind TEXT NOT NULL,
  size INTEGER NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  files TEXT NOT NULL,
  origin TEXT NOT NULL,
  info TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`;

/**
 * Version 3: the conversation model (per user, synced to every device).
 * - conversation_state: pin, marks (JSON array of numbers, HIDE excluded), custom data, draft;
 *   `hidden_cursor` / `deleted_cursor`: the conversation is hidden (HIDE mark) / deleted while the
 *   conversation's last_cursor is not above it, so any new message brings it back; -1 for neither.
 * - conversation_groups: the user's conversation groups (folders) by name;
 *   conversation_group_members: which conversations are in which group.
 */
const MIGRATION_3 = `
CREATE TABLE IF NOT EXISTS conversation_state (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  conv_id INTEGER NOT NULL,
  pinned INTEGER NOT NULL DEFAULT 0,
  marks TEXT NOT NULL DEFAULT '[]',
  custom_data TEXT NOT NULL DEFAULT '',
  draft TEXT NOT NULL DEFAULT '',
  hidden_cursor INTEGER NOT NULL DEFAULT -1,
  deleted_cursor INTEGER NOT NULL DEFAULT -1,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id, conv_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conversation_groups (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conversation_group_members (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  conv_id INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id, name, conv_id)
) WITHOUT ROWID;
`;

/**
 * Version 4: groups. Custom group attributes and group counters, one row per key;
 * group_applications by status for the admins' pending list; community topics and the
 * community's isSupportTopic flag; group member custom fields (JSON object); AVChatRoom bans
 * (deleteGroupMember with a duration).
 */
const MIGRATION_4 = `
CREATE TABLE IF NOT EXISTS group_attributes (
  app_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (app_id, group_id, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_counters (
  app_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (app_id, group_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_applications_status ON group_applications (app_id, group_id, status);
ALTER TABLE im_groups ADD COLUMN support_topic INTEGER NOT NULL DEFAULT 0;
ALTER TABLE group_members ADD COLUMN custom_fields TEXT NOT NULL DEFAULT '{}';
CREATE TABLE IF NOT EXISTS group_bans (
  app_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  until INTEGER NOT NULL,
  PRIMARY KEY (app_id, group_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_topics (
  app_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  topic_id TEXT NOT NULL,
  name TEXT NOT NULL,
  avatar TEXT NOT NULL,
  introduction TEXT NOT NULL,
  notification TEXT NOT NULL,
  custom_data TEXT NOT NULL,
  mute_all INTEGER NOT NULL DEFAULT 0,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (app_id, group_id, topic_id)
) WITHOUT ROWID;
`;

/**
 * Version 5 (users and relationships):
 * - users.custom_fields: profile custom fields (`Tag_Profile_Custom_*`), a JSON object.
 * - friends: one row per direction (user_id has friend_id in their list), with remark, source,
 *   wording and custom fields (JSON object).
 * - friend_applications: one pending request per (from, to); each side can hide it from its own
 *   list (hidden_from / hidden_to); `read` is the target's read mark.
 * - friend_groups, friend_group_members: the user's named friend lists.
 * - blocklist: user_id blocked blocked_id.
 * - follows: follower_id follows followee_id.
 * - status_subscriptions: user_id is told of target_id's status; `id` orders them (oldest evicted).
 * - user_status: custom status and whether the last session ended by logout (unlogined) or not
 *   (offline). Online is not stored: it is "has a live instance" (bus presence).
 */
const MIGRATION_5 = `
ALTER TABLE users ADD COLUMN custom_fields TEXT NOT NULL DEFAULT '{}';
CREATE TABLE IF NOT EXISTS friends (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  friend_id TEXT NOT NULL,
  remark TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  wording TEXT NOT NULL DEFAULT '',
  custom TEXT NOT NULL DEFAULT '{}',
  added_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id, friend_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS friends_by_friend ON friends (app_id, friend_id);
CREATE TABLE IF NOT EXISTS friend_applications (
  app_id INTEGER NOT NULL,
  from_id TEXT NOT NULL,
  to_id TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  wording TEXT NOT NULL DEFAULT '',
  remark TEXT NOT NULL DEFAULT '',
  group_name TEXT NOT NULL DEFAULT '',
  add_type TEXT NOT NULL,
  time INTEGER NOT NULL,
  read INTEGER NOT NULL DEFAULT 0,
  hidden_from INTEGER NOT NULL DEFAULT 0,
  hidden_to INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, from_id, to_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS friend_applications_to ON friend_applications (app_id, to_id);
CREATE TABLE IF NOT EXISTS friend_groups (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS friend_group_members (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  friend_id TEXT NOT NULL,
  PRIMARY KEY (app_id, user_id, name, friend_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocklist (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  blocked_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id, blocked_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS follows (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id INTEGER NOT NULL,
  follower_id TEXT NOT NULL,
  followee_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  UNIQUE (app_id, follower_id, followee_id)
);
CREATE INDEX IF NOT EXISTS follows_by_followee ON follows (app_id, followee_id);
CREATE TABLE IF NOT EXISTS status_subscriptions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  target_id TEXT NOT NULL,
  UNIQUE (app_id, user_id, target_id)
);
CREATE INDEX IF NOT EXISTS status_subscriptions_by_target ON status_subscriptions (app_id, target_id);
CREATE TABLE IF NOT EXISTS user_status (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  custom_status TEXT NOT NULL DEFAULT '',
  logged_out INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, user_id)
) WITHOUT ROWID;
`;

/**
 * Version 6: the change stream. A recall or a modification stamps the message with the next value
 * of `change_counter` (`messages.change_seq`, 0 for a message never changed). `syncChanges` pages a
 * user's changed messages after a change cursor, in change order, so a device that was offline
 * learns of recalls and edits as it learns of new messages. Only changed messages enter the
 * partial index: an append writes nothing to it. In PostgreSQL a change locks the counter row
 * until it commits, so change cursors become visible in increasing order on every node.
 *
 * - system_notices: group system notices (the @TIM#SYSTEM conversation), one row per recipient;
 *   one notice to several users is one change (`change_seq`), so they travel in the same stream.
 */
const MIGRATION_6 = `
ALTER TABLE messages ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS messages_conv_change ON messages (conv_id, change_seq) WHERE change_seq > 0;
CREATE TABLE IF NOT EXISTS change_counter (
  id INTEGER PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS system_notices (
  app_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  change_seq INTEGER NOT NULL,
  msg_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id, change_seq)
) WITHOUT ROWID;
`;

/** version -> SQL that brings version - 1 to version. */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  { version: 2, sql: MIGRATION_2 },
  // [issue 4: conversations] version 3
  { version: 3, sql: MIGRATION_3 },

  // [issue 5: groups] version 4
  { version: 4, sql: MIGRATION_4 },

  // [issue 6: users and relationships] version 5
  { version: 5, sql: MIGRATION_5 },

  // recalls, edits and group system notices reach devices that were offline: version 6
  { version: 6, sql: MIGRATION_6 },
];

/** The version a database has after every migration. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
