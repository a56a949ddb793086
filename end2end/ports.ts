/** Port of the main test server. */
export const WARD_PORT = 3411;
/** Port of the server that allows 2 chat messages per hour (the rate-limit test). */
export const LIMITED_PORT = 3412;
