CREATE TABLE `device_activations` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`phone_key` text NOT NULL,
	`msisdn_masked` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `device_activations_expires_at` ON `device_activations` (`expires_at`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`phone_key` text NOT NULL,
	`msisdn_masked` text NOT NULL,
	`installation_id` text NOT NULL,
	`public_key` text NOT NULL,
	`platform` text NOT NULL,
	`push_token` text NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`last_signed_at` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_seen_at` integer
);
--> statement-breakpoint
CREATE INDEX `devices_phone_key` ON `devices` (`phone_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `devices_phone_installation_unique` ON `devices` (`phone_key`,`installation_id`);--> statement-breakpoint
CREATE TABLE `push_sessions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`phone_key` text NOT NULL,
	`deadline_ms` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `push_sessions_phone_key_deadline` ON `push_sessions` (`phone_key`,`deadline_ms`);--> statement-breakpoint
ALTER TABLE `auth_log` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `profiles` ADD `unexpected_block_minutes` integer DEFAULT 60 NOT NULL;