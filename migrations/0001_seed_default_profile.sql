-- At most one default profile, and it exists from the start: it serves /api/sfwa/auth and cannot be deleted.
CREATE UNIQUE INDEX `profiles_single_default` ON `profiles` (`is_default`) WHERE `is_default` = 1;
--> statement-breakpoint
INSERT INTO `profiles` (`name`, `is_default`, `touch_messages`, `assisted_messages`, `rate_limit_per_minute`, `rate_limit_per_hour`)
VALUES ('default', 1,
  '{"titleText":"","smsText":"","buttonAcceptText":"","buttonRejectText":"","authenticationText":"","touchAcceptedText":"","touchRejectedText":""}',
  '{"titleText":"","smsText":"","buttonAcceptText":"","buttonRejectText":"","authenticationText":"","touchAcceptedText":"","touchRejectedText":""}',
  3, 10);
