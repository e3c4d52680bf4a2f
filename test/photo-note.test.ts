import { historyTextOf } from '../src/media/prepare-input';
import { MAX_PHOTO_NOTE_CHARS, photoNoteIn, takePhotoNote } from '../src/media/photo-note';
import { defined } from './helpers/present';

/**
 * What the model said a photo shows: the tag is cut from the answer wherever it is, the first one
 * is kept (bounded), and the history keeps it in place of the photo marks, never more.
 */
describe('photo notes', () => {
  it('cuts every photo tag from the answer and keeps the first one', () => {
    expect(
      takePhotoNote('Ankle boots.\n[photo: red leather ankle boots]\n\n(my budget: as you asked me to remember.)'),
    ).toEqual({
      text: 'Ankle boots.\n\n(my budget: as you asked me to remember.)',
      note: 'red leather ankle boots',
    });
    expect(takePhotoNote('Two of them [ Photo : a cat ] [photo: a dog]')).toEqual({
      text: 'Two of them',
      note: 'a cat',
    });
    expect(takePhotoNote('A plain answer with [photo] in it.')).toEqual({ text: 'A plain answer with [photo] in it.' });
    expect(takePhotoNote('Empty [photo: ] tag')).toEqual({ text: 'Empty  tag' });
    expect([...defined(takePhotoNote(`[photo: ${'x'.repeat(500)}]`).note)]).toHaveLength(MAX_PHOTO_NOTE_CHARS);
  });

  it('keeps the note in the history in place of the photo marks, and reads it back', () => {
    expect(historyTextOf({ photos: 1, words: 'What are these?' }, 'red boots')).toBe(
      '[photo: red boots]\nWhat are these?',
    );
    expect(historyTextOf({ photos: 2, words: '' }, 'two lamps')).toBe('[2 photos: two lamps]');
    expect(historyTextOf({ photos: 2, words: 'which?' })).toBe('[photo] [photo]\nwhich?');
    expect(historyTextOf({ photos: 0, words: '[voice note] hello' }, 'ignored')).toBe('[voice note] hello');
    expect(photoNoteIn('[photo: red boots]\nWhat are these?')).toBe('red boots');
    expect(photoNoteIn('[2 photos: two lamps]')).toBe('two lamps');
    expect(photoNoteIn('[photo]\nWhat are these?')).toBeUndefined();
  });
});
