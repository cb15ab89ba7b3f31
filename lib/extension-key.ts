/**
 * The manifest `key` (public key only) gives Candor a fixed id on Chrome and Edge, so administrators
 * can target it in policies. id = first 32 hex chars of SHA-256(DER public key), 0-f mapped to a-p
 * (checked by tests/unit/manifest.test.ts). The private key is held by the release owner, never here.
 */
export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAo6Cyuo4jn0XxczpPLA4HkHSa9q0F+5BvcP3hvO5oEWMy+FutYTzHeNBbNRDyBCeD4ibYJSyYa/RAgBYsHMHCZb2RK5TzH0WOHjDDUj05b0UGSSoaZxyspHBRAlDKXHxcI7BvuWw5tN2BT77PqWy4n5uKLXmm/EfDyumdIO1VVkuS+DtnB9sWA7HllRT43iVcrqfNbERefE4+fVLTnKtastz3sq+3ArpvtPJVBuoJQwKNaUA7KxI2QtQMzWfp7141R+IhUoWB5iZY3YoZlha4sLJ0xK42MN/MzPeuAm7DwKGxX8XC+QGrW0DX44sYd4Oe5iZfLVxqQWV/Ak+D3UZlfQIDAQAB';
export const EXTENSION_ID = 'bobdnpkakkioelfhdkpjbkkoadljjpmf';
