/** The Bearer token the benchmark server always accepts (for the static-header contenders). */
export const STATIC_TOKEN = 'bench-static-token-0123456789abcdef';
