/** What AWS accepts as tags. */
// source: Tagging AWS resources, "Tag naming limits and requirements", read 2026-11-21

/** Keys of 1 to 128 and values of up to 256 letters, digits, spaces and _ . : / = + - @; "aws:" is AWS's own. */
export const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_RULE = "letters, digits, spaces and _ . : / = + - @";
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** Tags AWS allows on one resource. */
export const MAX_TAGS_PER_RESOURCE = 50;
