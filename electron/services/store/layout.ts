/** The names the store gives to what it keeps in a data dir (one place, for the store and the key's checks). */
export const DATABASE_FILE_NAME = 'motcua.db';
/** Blobs by content hash: `files/<2 hex>/<sha256><ext>`. */
export const BLOB_DIR_NAME = 'files';
/** The desk's identity marker, sealed with the data key (store/desk-identity.ts). */
export const MARKER_FILE_NAME = 'desk-identity.sealed';
