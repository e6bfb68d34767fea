CREATE TABLE `assisted_login_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`settings` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assisted_login_profiles_name_unique` ON `assisted_login_profiles` (`name`);--> statement-breakpoint
CREATE TABLE `directory_users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`username_key` text NOT NULL,
	`display_name` text DEFAULT '' NOT NULL,
	`phone_encrypted` text,
	`phone_key` text,
	`phone_masked` text,
	`email` text DEFAULT '' NOT NULL,
	`groups` text DEFAULT '[]' NOT NULL,
	`manager` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `directory_users_username_key_unique` ON `directory_users` (`username_key`);--> statement-breakpoint
CREATE INDEX `directory_users_phone_key` ON `directory_users` (`phone_key`);--> statement-breakpoint
CREATE TABLE `entra_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`tenant_id` text NOT NULL,
	`client_id` text NOT NULL,
	`client_secret_sealed` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entra_profiles_name_unique` ON `entra_profiles` (`name`);--> statement-breakpoint
CREATE TABLE `ldap_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`start_tls` integer DEFAULT true NOT NULL,
	`bind_dn` text NOT NULL,
	`bind_password_sealed` text NOT NULL,
	`base_dn` text NOT NULL,
	`user_filter` text NOT NULL,
	`phone_attribute` text NOT NULL,
	`display_name_attribute` text NOT NULL,
	`group_attribute` text NOT NULL,
	`manager_attribute` text NOT NULL,
	`timeout_seconds` integer DEFAULT 5 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ldap_profiles_name_unique` ON `ldap_profiles` (`name`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_push_sessions` (
	`session_id` text NOT NULL,
	`phone_key` text NOT NULL,
	`deadline_ms` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`session_id`, `phone_key`)
);
--> statement-breakpoint
INSERT INTO `__new_push_sessions`("session_id", "phone_key", "deadline_ms", "created_at") SELECT "session_id", "phone_key", "deadline_ms", "created_at" FROM `push_sessions`;--> statement-breakpoint
DROP TABLE `push_sessions`;--> statement-breakpoint
ALTER TABLE `__new_push_sessions` RENAME TO `push_sessions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `push_sessions_phone_key_deadline` ON `push_sessions` (`phone_key`,`deadline_ms`);--> statement-breakpoint
ALTER TABLE `auth_log` ADD `assisted_user` text;--> statement-breakpoint
ALTER TABLE `auth_log` ADD `approver` text;