/**
 * The phone-number metadata the Worker parses with: libphonenumber-js's `mobile` set (numbering plans with
 * the mobile ranges, what the toll-fraud guard's number-type check needs) without national formatting rules,
 * which the Worker never uses. Made by `npm run phone-metadata`; a test keeps it equal to the installed set.
 */
import type { MetadataJson } from 'libphonenumber-js/core';
import metadata from './phone-metadata.json';

export const PHONE_METADATA = metadata as unknown as MetadataJson;
