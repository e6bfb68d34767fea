ALTER TABLE `auth_log` ADD `delivery` text;--> statement-breakpoint
ALTER TABLE `auth_log` ADD `delivery_at` integer;