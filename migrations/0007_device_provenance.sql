ALTER TABLE `device_activations` ADD `msisdn_encrypted` text;--> statement-breakpoint
ALTER TABLE `device_activations` ADD `via` text DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE `device_activations` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `activated_via` text DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE `devices` ADD `activated_by` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `deactivation_code_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `devices_deactivation_code_unique` ON `devices` (`deactivation_code_hash`);