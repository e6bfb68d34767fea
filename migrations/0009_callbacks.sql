ALTER TABLE `profiles` ADD `callback_hosts` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `callback_secret_sealed` text;--> statement-breakpoint
ALTER TABLE `profiles` ADD `callback_secret_created_at` integer;