import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_STATEMENTS, splitSentences, splitStatements } from '../../lib/export/sentences';

/*
 * An AI summary pasted as a paragraph must become statements the rep can mark one by one
 * (Intl.Segmenter's sentence boundaries, corrected for abbreviations, URLs and list numbers).
 */
describe('splitSentences', () => {
  it('cuts an English paragraph into its sentences', () => {
    expect(splitSentences('The customer wants a pilot. Budget is approved! Who signs? Dana does.', 'en')).toEqual([
      'The customer wants a pilot.',
      'Budget is approved!',
      'Who signs?',
      'Dana does.',
    ]);
  });

  it('does not cut after titles, e.g./i.e., initials or "No." before a number', () => {
    expect(splitSentences('We met Dr. Patel and Mr. Jones from Acme Inc. in Boston. They want e.g. SSO, i.e. Okta. Ticket No. 4521 is open.', 'en')).toEqual([
      'We met Dr. Patel and Mr. Jones from Acme Inc. in Boston.',
      'They want e.g. SSO, i.e. Okta.',
      'Ticket No. 4521 is open.',
    ]);
    expect(splitSentences('J. R. Smith signs for Acme. The deal closes in Q3.', 'en')).toEqual(['J. R. Smith signs for Acme.', 'The deal closes in Q3.']);
  });

  it('keeps decimals, versions, times and amounts whole', () => {
    expect(splitSentences('Pricing is 3.5 % lower than last year. Version 2.0.1 ships in May. They pay $1,200.50 per seat.', 'en')).toEqual([
      'Pricing is 3.5 % lower than last year.',
      'Version 2.0.1 ships in May.',
      'They pay $1,200.50 per seat.',
    ]);
  });

  it('keeps URLs and e-mail addresses whole', () => {
    expect(splitSentences('The deck is at https://acme.example/deck.pdf?v=2.1&x=y. Send questions to dana.lee@acme.example. Thanks!', 'en')).toEqual([
      'The deck is at https://acme.example/deck.pdf?v=2.1&x=y.',
      'Send questions to dana.lee@acme.example.',
      'Thanks!',
    ]);
    expect(splitSentences('See www.acme.example/faq?q=sso. It answers most of it.', 'en')).toEqual(['See www.acme.example/faq?q=sso.', 'It answers most of it.']);
  });

  it('German: z. B., d. h., bzw., Dr., ordinals and capitalised nouns after an abbreviation', () => {
    expect(
      splitSentences('Der Kunde möchte z. B. Single Sign-on, d. h. Anmeldung über Okta. Frau Dr. Weber entscheidet am 3. Mai. Das Budget liegt bei ca. 40.000 Euro bzw. 45.000 Franken.', 'de'),
    ).toEqual([
      'Der Kunde möchte z. B. Single Sign-on, d. h. Anmeldung über Okta.',
      'Frau Dr. Weber entscheidet am 3. Mai.',
      'Das Budget liegt bei ca. 40.000 Euro bzw. 45.000 Franken.',
    ]);
    expect(splitSentences('Wir brauchen z.B. Berichte. Nächster Schritt: Angebot schicken.', 'de-DE')).toEqual(['Wir brauchen z.B. Berichte.', 'Nächster Schritt: Angebot schicken.']);
  });

  it('French: M., Mme, p. ex., c.-à-d., and the space before ? and !', () => {
    expect(
      splitSentences('M. Dupont et Mme Martin veulent p. ex. une démo. Le budget est de 3,5 M€ ! Qui signe ? C.-à-d. la DAF, Mme Leroy.', 'fr'),
    ).toEqual(['M. Dupont et Mme Martin veulent p. ex. une démo.', 'Le budget est de 3,5 M€ !', 'Qui signe ?', 'C.-à-d. la DAF, Mme Leroy.']);
  });

  it('Spanish: Sr., Dra., p. ej. and inverted marks', () => {
    expect(splitSentences('El Sr. Gómez y la Dra. Ruiz quieren p. ej. una prueba. ¿Quién firma? La directora financiera.', 'es')).toEqual([
      'El Sr. Gómez y la Dra. Ruiz quieren p. ej. una prueba.',
      '¿Quién firma?',
      'La directora financiera.',
    ]);
  });

  it('knows every language’s abbreviations when no language is given, and takes unknown locales', () => {
    expect(splitSentences('Wir brauchen z. B. Berichte. Fertig.')).toEqual(['Wir brauchen z. B. Berichte.', 'Fertig.']);
    expect(splitSentences('Call Dr. Patel. Done.', 'xx-invalid-locale-!!')).toEqual(['Call Dr. Patel.', 'Done.']);
  });

  it('leaves a sentence that ends in "etc." as the end of a sentence', () => {
    expect(splitSentences('We covered pricing, timeline etc. The CFO agreed.', 'en')).toEqual(['We covered pricing, timeline etc.', 'The CFO agreed.']);
  });

  it('loses and reorders nothing: the sentences put together are the text (fast-check)', () => {
    const word = fc.constantFrom('Dr.', 'z. B.', 'e.g.', 'p. ex.', '3.5', 'https://a.example/x?y=1.', 'Acme', 'the', 'CFO', '1.', 'Mai', 'wants', '?', '!', '. ', '。', 'J.', 'etc.', '—');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), fc.constantFrom('en', 'de', 'fr', 'es', undefined), (words, locale) => {
        const text = words.join(' ');
        const strip = (s: string) => s.replace(/\s+/g, '');
        expect(strip(splitSentences(text, locale).join(''))).toBe(strip(text));
        for (const sentence of splitSentences(text, locale)) expect(sentence).toBe(sentence.trim());
      }),
    );
  });

  it('returns nothing for blank text and one sentence for text without an end mark', () => {
    expect(splitSentences('   ', 'en')).toEqual([]);
    expect(splitSentences('Customer wants a pilot', 'en')).toEqual(['Customer wants a pilot']);
  });
});

describe('splitStatements', () => {
  it('a pasted paragraph becomes one statement per sentence', () => {
    const paragraph =
      'Acme wants a pilot for 40 seats starting in February. The CFO, Dana Lee, is the decision maker. Security review is the main risk. They also talk to Globex.';
    expect(splitStatements(paragraph, 'en')).toEqual([
      'Acme wants a pilot for 40 seats starting in February.',
      'The CFO, Dana Lee, is the decision maker.',
      'Security review is the main risk.',
      'They also talk to Globex.',
    ]);
  });

  it('keeps each bullet line as one statement, markers stripped, even with two sentences in it', () => {
    const bullets = '- Customer wants a pilot. Starts in Feb.\n• Budget is approved\n* Next step: send the security questionnaire\n1. Follow up on Dec. 4\n2) Loop in legal';
    expect(splitStatements(bullets, 'en')).toEqual([
      'Customer wants a pilot. Starts in Feb.',
      'Budget is approved',
      'Next step: send the security questionnaire',
      'Follow up on Dec. 4',
      'Loop in legal',
    ]);
  });

  it('mixes headings, paragraphs and bullets; blank lines and CRLF are handled', () => {
    const text = 'Summary:\r\nAcme is interested. They need SSO.\r\n\r\nAction items:\r\n  - Send deck\r\n  - Book demo with Dr. Patel\r\n';
    expect(splitStatements(text, 'en')).toEqual(['Summary:', 'Acme is interested.', 'They need SSO.', 'Action items:', 'Send deck', 'Book demo with Dr. Patel']);
  });

  it('a bullet inside a line after a sentence starts a new statement', () => {
    expect(splitStatements('Key points: • Pilot in Q1 • Budget approved. - Legal review pending', 'en')).toEqual([
      'Key points:',
      'Pilot in Q1',
      'Budget approved.',
      'Legal review pending',
    ]);
  });

  it('keeps a hyphenated phrase or a dash inside a sentence', () => {
    expect(splitStatements('They want a self-service trial - maybe two weeks long.', 'en')).toEqual(['They want a self-service trial - maybe two weeks long.']);
  });

  it('German and French summaries', () => {
    expect(splitStatements('Zusammenfassung: Der Kunde will z. B. SSO. Entscheidung am 3. Mai.\n- Angebot bis Fr. schicken', 'de')).toEqual([
      'Zusammenfassung: Der Kunde will z. B. SSO.',
      'Entscheidung am 3. Mai.',
      'Angebot bis Fr. schicken',
    ]);
    expect(splitStatements('Résumé : le client veut p. ex. une démo. Mme Leroy signe.\n• Envoyer le devis', 'fr')).toEqual([
      'Résumé : le client veut p. ex. une démo.',
      'Mme Leroy signe.',
      'Envoyer le devis',
    ]);
  });

  it('stops at the statement limit', () => {
    const many = Array.from({ length: MAX_STATEMENTS + 50 }, (_, i) => `Point ${i}.`).join(' ');
    const out = splitStatements(many, 'en');
    expect(out).toHaveLength(MAX_STATEMENTS);
    expect(out[0]).toBe('Point 0.');
  });

  it('returns nothing for whitespace', () => {
    expect(splitStatements(' \n\n \t', 'en')).toEqual([]);
  });
});
