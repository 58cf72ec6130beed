import type { Migration } from '../migrate';

/**
 * Full-text search over dossiers (procedure, applicant, code) and OCR'd page text, diacritic-insensitive:
 * indexed text is folded by `motcua_fold` (registered on every connection by openStore), and triggers keep
 * the indexes in the same transaction as the rows they index, so a crash can never leave them apart.
 */
export const searchMigration: Migration = {
  version: 7,
  name: 'search',
  up: `
    CREATE VIRTUAL TABLE dossier_search USING fts5(content, tokenize = 'unicode61');
    CREATE TRIGGER dossiers_search_insert AFTER INSERT ON dossiers BEGIN
      INSERT INTO dossier_search (rowid, content)
      VALUES (NEW.rowid, motcua_fold(NEW.procedure_name || ' ' || NEW.applicant_name || ' ' || COALESCE(NEW.code, '')));
    END;
    CREATE TRIGGER dossiers_search_update AFTER UPDATE OF procedure_name, applicant_name, code ON dossiers BEGIN
      DELETE FROM dossier_search WHERE rowid = OLD.rowid;
      INSERT INTO dossier_search (rowid, content)
      VALUES (NEW.rowid, motcua_fold(NEW.procedure_name || ' ' || NEW.applicant_name || ' ' || COALESCE(NEW.code, '')));
    END;
    CREATE TRIGGER dossiers_search_delete AFTER DELETE ON dossiers BEGIN
      DELETE FROM dossier_search WHERE rowid = OLD.rowid;
    END;
    INSERT INTO dossier_search (rowid, content)
      SELECT rowid, motcua_fold(procedure_name || ' ' || applicant_name || ' ' || COALESCE(code, '')) FROM dossiers;

    CREATE VIRTUAL TABLE page_search USING fts5(content, tokenize = 'unicode61');
    CREATE TRIGGER ocr_jobs_search_done AFTER UPDATE OF status ON ocr_jobs WHEN NEW.status = 'done' BEGIN
      DELETE FROM page_search WHERE rowid = NEW.id;
      INSERT INTO page_search (rowid, content) VALUES (NEW.id, motcua_fold(COALESCE(NEW.text, '')));
    END;
    CREATE TRIGGER ocr_jobs_search_delete AFTER DELETE ON ocr_jobs BEGIN
      DELETE FROM page_search WHERE rowid = OLD.id;
    END;
    INSERT INTO page_search (rowid, content)
      SELECT id, motcua_fold(COALESCE(text, '')) FROM ocr_jobs WHERE status = 'done';
  `,
};
