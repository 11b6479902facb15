/**
 * SQLite schema (version 1). One row per message; per-user state lives in user_conversations.
 *
 * Indexes and the queries they serve:
 * - messages(conv_id, seq) UNIQUE: history pages, unread counts (range count), last message.
 * - messages(conv_id, cursor): catch-up, one index range scan per conversation of the user.
 * - messages(app_id, sender, msg_id) UNIQUE: idempotent sends.
 * - messages(conv_id, msg_id): nextReqMessageID lookups.
 * - user_conversations PK (app_id, user_id, conv_id): a user's conversations.
 * - group_members(app_id, group_id, id): member list in join order; (app_id, user_id): my groups.
 */
export const SCHEMA_VERSION = 1;

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
