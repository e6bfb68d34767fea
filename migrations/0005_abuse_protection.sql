ALTER TABLE `profiles` ADD `allowed_countries` text;--> statement-breakpoint
ALTER TABLE `profiles` ADD `sms_budget_per_hour` integer DEFAULT 500 NOT NULL;--> statement-breakpoint
ALTER TABLE `profiles` ADD `sms_budget_per_day` integer DEFAULT 5000 NOT NULL;