/**
 * An absolute URL path a health check may probe: `/`, then up to 254 characters that need no quoting in a URL.
 * 255 in all is Route 53's limit for a health check's resource path; a target group would take 1024, but stage 4
 * probes the same paths through both, so one limit serves every check.
 */
export const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,254}$/;

/** The same, but not `/` alone: for a path a host answers itself, in front of a site that owns `/`. */
export const HEALTH_CHECK_SUBPATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{1,254}$/;
