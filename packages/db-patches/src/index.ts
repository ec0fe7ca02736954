/**
 * Placeholder: this package is filled by a later issue.
 * @packageDocumentation
 */
export const PACKAGE_STATUS = "shell" as const;
