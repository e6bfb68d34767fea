CREATE TABLE `auth_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`profile_name` text NOT NULL,
	`token_name` text NOT NULL,
	`msisdn_masked` text NOT NULL,
	`channel` text NOT NULL,
	`outcome` text NOT NULL,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `auth_log_session_id_unique` ON `auth_log` (`session_id`);--> statement-breakpoint
CREATE INDEX `auth_log_started_at` ON `auth_log` (`started_at`);--> statement-breakpoint
CREATE INDEX `auth_log_profile_started_at` ON `auth_log` (`profile_name`,`started_at`);--> statement-breakpoint
CREATE INDEX `auth_log_outcome_started_at` ON `auth_log` (`outcome`,`started_at`);