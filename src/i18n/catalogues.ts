import ar from './catalogues/ar.json';
import de from './catalogues/de.json';
import en from './catalogues/en.json';
import es from './catalogues/es.json';
import fr from './catalogues/fr.json';
import hi from './catalogues/hi.json';
import id from './catalogues/id.json';
import it from './catalogues/it.json';
import pt from './catalogues/pt.json';
import type { Language } from './languages';

/**
 * The message catalogues: one JSON file per language, FormatJS's flat format (a key, then an ICU
 * MessageFormat message: `{name}` arguments, `{count, plural, one {…} other {…}}`, `{kind,
 * select, …}`), which translation tools read as it is. English is the source: its keys are
 * the keys, and TypeScript refuses a catalogue here that lacks one of them.
 */
export type MessageKey = keyof typeof en;
export type Catalogue = Readonly<Record<MessageKey, string>>;

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, es, pt, fr, de, it, id, hi, ar };
